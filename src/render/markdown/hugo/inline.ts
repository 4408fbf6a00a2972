/**
 * Shortcodes inside paragraphs, and inside HTML tags written in a paragraph
 * (`<a href="{{< relref "x" >}}">`, where the inner quotes would otherwise stop
 * markdown-it from seeing a tag at all).
 */
import type { MarkdownIt, StateInline } from 'markdown-it'
import { type DocContext, docOf, inlineBodyLine, newlinesBefore, report } from '../context.ts'
import { parseShortcode } from './parse.ts'
import { shortcodeHtml } from './shortcodes.ts'

/** An HTML open or self-closing tag, once its shortcodes are replaced by a placeholder. */
const TAG_SHAPE = /^<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>$/

/**
 * Replaces every shortcode in a piece of raw HTML by its output. What cannot be
 * rendered is reported and its `{{<` escaped, so it never reaches a page.
 */
export function expandShortcodes(md: MarkdownIt, doc: DocContext, html: string, bodyLine: number): string {
  let out = ''
  let last = 0
  let at = html.indexOf('{{')
  while (at !== -1) {
    const parsed = parseShortcode(html, at)
    if (parsed === undefined) {
      at = html.indexOf('{{', at + 1)
      continue
    }
    out += html.slice(last, at)
    const line = bodyLine + newlinesBefore(html, at)
    if (parsed.kind === 'malformed') {
      report(doc, 'error', line, parsed.reason)
      out += md.utils.escapeHtml(html.slice(at, parsed.end))
    } else if (parsed.kind === 'literal') out += md.utils.escapeHtml(parsed.text)
    else out += shortcodeHtml(md, doc, parsed.shortcode, line)
    last = parsed.end
    at = html.indexOf('{{', last)
  }
  return last === 0 ? html : out + html.slice(last)
}

function shortcodeInline(state: StateInline, silent: boolean): boolean {
  const parsed = parseShortcode(state.src, state.pos, state.posMax)
  if (parsed === undefined) return false
  if (!silent) {
    const doc = docOf(state.env)
    if (parsed.kind === 'malformed') {
      report(doc, 'error', inlineBodyLine(state), parsed.reason)
      state.push('text', '', 0).content = state.src.slice(state.pos, parsed.end)
    } else if (parsed.kind === 'literal') state.push('text', '', 0).content = parsed.text
    else state.push('html_inline', '', 0).content = shortcodeHtml(state.md, doc, parsed.shortcode, inlineBodyLine(state))
  }
  state.pos = parsed.end
  return true
}

/** The end of an HTML tag starting at `start` that contains a shortcode, if it is one. */
function tagWithShortcodeEnd(state: StateInline, start: number): { end: number; shape: string } | undefined {
  const { src, posMax } = state
  let shape = '<'
  let quote = ''
  let found = false
  for (let at = start + 1; at < posMax; ) {
    const parsed = src.charCodeAt(at) === 0x7b ? parseShortcode(src, at, posMax) : undefined
    if (parsed?.kind === 'shortcode' || parsed?.kind === 'literal') {
      found = true
      shape += 'x'
      at = parsed.end
      continue
    }
    const ch = src[at] ?? ''
    shape += ch
    at++
    if (quote !== '') {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '<') return undefined
    else if (ch === '>') return found && TAG_SHAPE.test(shape) ? { end: at, shape } : undefined
  }
  return undefined
}

function htmlTagWithShortcode(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false
  // Cheap test first: this runs at every `<` of every paragraph.
  // A tag holding a shortcode has `{{` before its first `>` (the one of `>}}`).
  const close = state.src.indexOf('>', state.pos)
  if (close === -1 || !state.src.slice(state.pos, close).includes('{{')) return false
  const tag = tagWithShortcodeEnd(state, state.pos)
  if (tag === undefined) return false
  if (!silent) {
    const html = state.src.slice(state.pos, tag.end)
    state.push('html_inline', '', 0).content = expandShortcodes(state.md, docOf(state.env), html, inlineBodyLine(state))
  }
  state.pos = tag.end
  return true
}

export function shortcodeInlinePlugin(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'hugo_shortcode', shortcodeInline)
  md.inline.ruler.before('html_inline', 'hugo_html_tag', htmlTagWithShortcode)
}
