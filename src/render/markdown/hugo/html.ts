/**
 * Shortcodes in raw HTML blocks are expanded (Hugo expands them everywhere), and
 * in code a commented shortcode (`/*` and its closing pair just inside the delimiters)
 * shows as the plain shortcode, as Hugo shows it.
 * Other shortcodes in code are left alone: they are samples, not instructions.
 */
import type { MarkdownIt, Token } from 'markdown-it'
import { docOf } from '../context.ts'
import { expandShortcodes } from './inline.ts'

const COMMENTED = /\{\{([<%])\s*\/\*([\s\S]*?)\*\/\s*([>%])\}\}/g

function uncomment(token: Token): void {
  if (token.content.includes('{{')) token.content = token.content.replace(COMMENTED, '{{$1$2$3}}')
}

export function shortcodeHtmlPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'hugo_html', (state) => {
    const doc = docOf(state.env)
    let line = 0
    for (const token of state.tokens) {
      if (token.map) line = token.map[0]
      if (token.type === 'fence' || token.type === 'code_block') uncomment(token)
      else if (token.type === 'html_block' && token.content.includes('{{')) {
        token.content = expandShortcodes(md, doc, token.content, line)
      } else if (token.type === 'inline') {
        for (const child of token.children ?? []) {
          if (child.type === 'code_inline') uncomment(child)
          // Comments and tags the inline rules did not claim, e.g. `<!-- {{< x >}} -->`.
          else if (child.type === 'html_inline' && child.content.includes('{{')) {
            child.content = expandShortcodes(md, doc, child.content, line)
          }
        }
      }
    }
  })
}
