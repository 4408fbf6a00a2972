/**
 * Build-time syntax highlighting of fenced code with a fixed set of highlight.js
 * languages. Only the language the fence names is used: auto-detection is slow and
 * picks different languages for near-identical snippets.
 */
import type { MarkdownIt, RendererRule } from 'markdown-it'
import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import css from 'highlight.js/lib/languages/css'
import diff from 'highlight.js/lib/languages/diff'
import dockerfile from 'highlight.js/lib/languages/dockerfile'
import go from 'highlight.js/lib/languages/go'
import ini from 'highlight.js/lib/languages/ini'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import markdown from 'highlight.js/lib/languages/markdown'
import plaintext from 'highlight.js/lib/languages/plaintext'
import python from 'highlight.js/lib/languages/python'
import rust from 'highlight.js/lib/languages/rust'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'

// `ini` carries the `toml` alias; `xml` carries `html` and `svg`.
const LANGUAGES = { bash, css, diff, dockerfile, go, ini, javascript, json, markdown, plaintext, python, rust, shell, sql, typescript, xml, yaml }
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language)
hljs.registerAliases(['terminal', 'shell-session'], { languageName: 'shell' })
hljs.registerAliases(['node'], { languageName: 'javascript' })

/**
 * The language of a fence info string. Also reads VuePress's ```` ```js{1,3} ````
 * line marks, ```` ```ts:title ```` and Hugo's ```` ```go {linenos=true} ````.
 */
export function fenceLanguage(info: string): string {
  return (/^[^\s{:[]*/.exec(info.trim())?.[0] ?? '').toLowerCase()
}

/** Highlighted HTML for `code`, or undefined when the language is not registered. */
export function highlightCode(code: string, language: string): string | undefined {
  if (language === '' || hljs.getLanguage(language) === undefined) return undefined
  return hljs.highlight(code, { language, ignoreIllegals: true }).value
}

/** The `<pre>` block for a piece of code, highlighted when its language is known. */
export function codeBlockHtml(code: string, language: string, escapeHtml: (s: string) => string): string {
  const langClass = language === '' ? '' : ` class="language-${escapeHtml(language)}"`
  const highlighted = highlightCode(code, language)
  if (highlighted === undefined) return `<pre><code${langClass}>${escapeHtml(code)}</code></pre>\n`
  return `<pre class="hljs"><code${langClass}>${highlighted}</code></pre>\n`
}

export function highlightPlugin(md: MarkdownIt): void {
  const fence: RendererRule = (tokens, idx) => {
    const token = tokens[idx]
    if (!token) return ''
    const language = fenceLanguage(md.utils.unescapeAll(token.info))
    return codeBlockHtml(token.content, language, md.utils.escapeHtml)
  }
  md.renderer.rules.fence = fence
}
