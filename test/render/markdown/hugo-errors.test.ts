import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatted, html, render } from './helpers.ts'

describe('createMarkdownRenderer: unknown and malformed Hugo shortcodes', () => {
  it('reports an unknown shortcode with file, line and what to do instead', () => {
    const result = render('# Title\n\nSome text.\n\n{{< gist spf13 7896402 >}}\n', {}, 7)
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:12: unknown Hugo shortcode "gist": supported are figure, highlight, ref, relref, vimeo, youtube; replace it with a link to the gist, or a fenced code block holding its content',
    ])
    assert.equal(result.html, '<h1 id="title">Title</h1>\n<p>Some text.</p>\n')
  })

  it('reports shortcodes of a theme with a generic hint', () => {
    const result = render('text {{% notice info %}}')
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:1: unknown Hugo shortcode "notice": supported are figure, highlight, ref, relref, vimeo, youtube; replace it with Markdown or HTML (shortcodes defined by a Hugo theme or layouts/shortcodes are not available here)',
    ])
  })

  it('reports every unknown shortcode on its own line: in lists, tables, quotes and raw HTML', () => {
    const source = ['- item {{< a >}}', '', '| x |', '|---|', '| {{< b >}} |', '', '> quoted', '> {{< c >}}', '', '<div>', '<!-- {{< d >}} -->', '</div>'].join('\n')
    const lines = formatted(render(source).errors).map((line) => line.slice(0, line.indexOf(':', 'posts/a.md:'.length + 1)))
    assert.deepEqual(lines, ['posts/a.md:1', 'posts/a.md:5', 'posts/a.md:8', 'posts/a.md:11'])
  })

  it('reports an unterminated shortcode', () => {
    const result = render('line one\n{{< youtube w7Ft2ymGmfc\n\nnext')
    assert.deepEqual(formatted(result.errors), ['posts/a.md:2: unterminated Hugo shortcode "youtube": end it with ">}}"'])
  })

  it('never lets "{{<" or "{{%" reach the output', () => {
    const source = [
      '{{< gist a b >}}',
      'text {{< tweet 1 >}} and {{% notice %}} and {{< broken',
      '<div>{{< x >}} {{< y</div>',
      '[l]({{< param "x" >}})',
      '![i]({{< nope >}})',
      '| {{< t >}} |\n|---|',
    ].join('\n\n')
    const result = render(source)
    assert.ok(result.errors.length >= 8, formatted(result.errors).join('\n'))
    assert.doesNotMatch(result.html, /\{\{[<%]/)
  })

  it('leaves shortcodes in code spans, fences and indented code as code samples', () => {
    assert.equal(html('`{{< gist a b >}}`'), '<p><code>{{&lt; gist a b &gt;}}</code></p>\n')
    assert.equal(html('```\n{{< youtube x >}}\n```'), '<pre><code>{{&lt; youtube x &gt;}}\n</code></pre>\n')
    assert.equal(html('    {{% notice %}}\n'), '<pre><code>{{% notice %}}\n</code></pre>\n')
  })

  it('shows commented shortcodes as the shortcode, in code and in text', () => {
    assert.equal(html('`{{</* youtube x */>}}`'), '<p><code>{{&lt; youtube x &gt;}}</code></p>\n')
    assert.equal(html('```go\n{{%/* notice */%}}\n```'), '<pre class="hljs"><code class="language-go">{{% notice %}}\n</code></pre>\n')
    assert.equal(html('Write {{</* youtube ID */>}} to embed.'), '<p>Write {{&lt; youtube ID &gt;}} to embed.</p>\n')
  })

  it('leaves an escaped brace as text', () => {
    assert.equal(html('\\{{< not a shortcode >}}'), '<p>{{&lt; not a shortcode &gt;}}</p>\n')
  })
})
