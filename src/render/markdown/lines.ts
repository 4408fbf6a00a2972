/**
 * Makes inline rules able to report file lines. markdown-it parses inline content
 * without positions, so this replaces the core `inline` step with one that first
 * records which source line the block being parsed starts on.
 */
import type { MarkdownIt } from 'markdown-it'
import { docOf } from './context.ts'

export function lineTrackingPlugin(md: MarkdownIt): void {
  md.core.ruler.at('inline', (state) => {
    const doc = docOf(state.env)
    // Table cells have no map of their own: they inherit the line of their row.
    let line = 0
    for (const token of state.tokens) {
      if (token.map) line = token.map[0]
      if (token.type !== 'inline') continue
      doc.blockLine = line
      token.children ??= []
      state.md.inline.parse(token.content, state.md, state.env, token.children)
    }
  })
}
