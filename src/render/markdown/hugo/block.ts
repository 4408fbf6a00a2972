/**
 * Shortcodes on lines of their own: embeds and figures become blocks (not HTML
 * wrapped in a paragraph), and `{{< highlight lang >}}` ... `{{< /highlight >}}`
 * becomes a fenced code block whose content is never parsed as Markdown.
 */
import type { MarkdownIt, StateBlock } from 'markdown-it'
import { docOf, report } from '../context.ts'
import { parseShortcode, param, type Shortcode } from './parse.ts'
import { figureParts, shortcodeHtml } from './shortcodes.ts'

/** Supported shortcodes that stay inline (in a paragraph) even on a line of their own. */
const INLINE_ONLY = new Set(['ref', 'relref'])
const HIGHLIGHT_CLOSE = /^\{\{([<%])\s*\/\s*highlight\s*[>%]\}\}$/

function lineText(state: StateBlock, line: number): string {
  return state.src.slice((state.bMarks[line] ?? 0) + (state.tShift[line] ?? 0), state.eMarks[line])
}

/** The last line the text up to `end` reaches, or -1 when it leaves the block. */
function lastLineOf(state: StateBlock, startLine: number, endLine: number, end: number): number {
  for (let line = startLine; line < endLine; line++) if ((state.eMarks[line] ?? 0) >= end) return line
  return -1
}

function pushHighlight(state: StateBlock, shortcode: Shortcode, startLine: number, openEnd: number, endLine: number): void {
  let closeLine = openEnd + 1
  while (closeLine < endLine && !HIGHLIGHT_CLOSE.test(lineText(state, closeLine).trim())) closeLine++
  if (closeLine >= endLine) {
    report(docOf(state.env), 'error', startLine, 'Hugo "highlight" shortcode is never closed: add {{< /highlight >}} on a line of its own after the code')
  }
  const token = state.push('fence', 'code', 0)
  token.info = param(shortcode, 'lang', 0) ?? ''
  token.content = state.getLines(openEnd + 1, closeLine, state.sCount[startLine] ?? 0, true)
  token.markup = '```'
  token.map = [startLine, Math.min(closeLine + 1, endLine)]
  state.line = Math.min(closeLine + 1, endLine)
}

function pushFigure(state: StateBlock, md: MarkdownIt, shortcode: Shortcode, startLine: number, lastLine: number): void {
  const parts = figureParts(md, docOf(state.env), shortcode, startLine)
  const open = state.push('html_block', '', 0)
  open.content = parts.open
  open.map = [startLine, lastLine + 1]
  // A real inline token: the core step parses the caption as Markdown, with its line known.
  const caption = state.push('inline', '', 0)
  caption.content = parts.caption
  caption.map = [startLine, lastLine + 1]
  caption.children = []
  const close = state.push('html_block', '', 0)
  close.content = `${parts.close}\n`
}

export function shortcodeBlockPlugin(md: MarkdownIt): void {
  md.block.ruler.before(
    'paragraph',
    'hugo_shortcode',
    (state, startLine, endLine, silent) => {
      if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false
      const start = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0)
      if (state.src.charCodeAt(start) !== 0x7b /* { */) return false
      const parsed = parseShortcode(state.src, start)
      if (parsed?.kind !== 'shortcode') return false
      const { shortcode, end } = parsed
      if (shortcode.closing || INLINE_ONLY.has(shortcode.name)) return false
      const lastLine = lastLineOf(state, startLine, endLine, end)
      if (lastLine === -1 || state.src.slice(end, state.eMarks[lastLine]).trim() !== '') return false
      if (silent) return true

      if (shortcode.name === 'highlight') pushHighlight(state, shortcode, startLine, lastLine, endLine)
      else {
        if (shortcode.name === 'figure') pushFigure(state, md, shortcode, startLine, lastLine)
        else {
          const token = state.push('html_block', '', 0)
          token.map = [startLine, lastLine + 1]
          const html = shortcodeHtml(md, docOf(state.env), shortcode, startLine)
          token.content = html === '' ? '' : `${html}\n`
        }
        state.line = lastLine + 1
      }
      return true
    },
    { alt: ['paragraph'] },
  )
}
