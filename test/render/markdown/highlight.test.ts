import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fenceLanguage } from '../../../src/render/markdown/highlight.ts'
import { html } from './helpers.ts'

const LANGUAGES = ['js', 'ts', 'json', 'bash', 'shell', 'yaml', 'toml', 'go', 'rust', 'python', 'html', 'xml', 'css', 'markdown', 'diff', 'dockerfile', 'sql', 'plaintext']
const ALIASES = ['javascript', 'typescript', 'sh', 'zsh', 'console', 'yml', 'golang', 'rs', 'py', 'md', 'docker', 'text', 'txt', 'jsx', 'tsx', 'svg']

describe('createMarkdownRenderer: fenced code', () => {
  it('highlights a known language at build time', () => {
    assert.equal(
      html('```js\nconst a = 1\n```'),
      '<pre class="hljs"><code class="language-js"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>\n</code></pre>\n',
    )
  })

  it('registers every language of the fixed set and its common aliases', () => {
    for (const language of [...LANGUAGES, ...ALIASES]) {
      assert.match(html(`\`\`\`${language}\nx\n\`\`\``), new RegExp(`^<pre class="hljs"><code class="language-${language}">`), language)
    }
  })

  it('escapes code in an unknown language without highlighting it', () => {
    assert.equal(html('```brainfuck\n<b>&</b>\n```'), '<pre><code class="language-brainfuck">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n')
  })

  it('never guesses the language of a fence without one', () => {
    assert.equal(html('```\nconst a = 1\n```'), '<pre><code>const a = 1\n</code></pre>\n')
    assert.equal(html('    indented <code>\n'), '<pre><code>indented &lt;code&gt;\n</code></pre>\n')
  })

  it('escapes HTML inside highlighted code', () => {
    assert.equal(html('```html\n<p>\n```'), '<pre class="hljs"><code class="language-html"><span class="hljs-tag">&lt;<span class="hljs-name">p</span>&gt;</span>\n</code></pre>\n')
  })

  it('reads the language from VuePress and Hugo info strings', () => {
    assert.equal(fenceLanguage('js{1,3}'), 'js')
    assert.equal(fenceLanguage('ts:no-line-numbers'), 'ts')
    assert.equal(fenceLanguage('go {linenos=table}'), 'go')
    assert.equal(fenceLanguage('Python title="x.py"'), 'python')
    assert.match(html('```js{2}\nlet x\n```'), /^<pre class="hljs"><code class="language-js">/)
  })
})
