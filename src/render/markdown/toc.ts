/**
 * `[[toc]]` on a line of its own (VuePress and markdown-it-table-of-contents
 * syntax) becomes a nested list of the page's h2 and h3 headings.
 */
import type { MarkdownIt, RendererRule, StateBlock, Token } from 'markdown-it'
import { inlineText } from './headings.ts'

const MARKER = /^\[\[toc\]\]$/i

function tocBlock(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false
  const start = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0)
  const end = state.eMarks[startLine] ?? 0
  if (state.src.charCodeAt(start) !== 0x5b /* [ */) return false
  if (!MARKER.test(state.src.slice(start, end).trimEnd())) return false
  if (silent) return true
  const token = state.push('toc', '', 0)
  token.map = [startLine, startLine + 1]
  token.markup = '[[toc]]'
  state.line = startLine + 1
  return true
}

interface Entry {
  id: string
  text: string
  children: Entry[]
}

function tocEntries(tokens: Token[]): Entry[] {
  const top: Entry[] = []
  let parent: Entry | undefined
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token?.type !== 'heading_open' || (token.tag !== 'h2' && token.tag !== 'h3')) continue
    const entry = { id: String(token.attrGet('id') ?? ''), text: inlineText(tokens[i + 1]?.children ?? null).trim(), children: [] }
    // An h3 before any h2 has no section to sit in: it goes at the top level.
    if (token.tag === 'h3' && parent) parent.children.push(entry)
    else {
      top.push(entry)
      if (token.tag === 'h2') parent = entry
    }
  }
  return top
}

function renderList(entries: Entry[], escapeHtml: (s: string) => string): string {
  const items = entries.map((entry) => {
    const sub = entry.children.length > 0 ? `\n${renderList(entry.children, escapeHtml)}\n` : ''
    return `<li><a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.text)}</a>${sub}</li>`
  })
  return `<ul>\n${items.join('\n')}\n</ul>`
}

export function tocPlugin(md: MarkdownIt): void {
  md.block.ruler.before('paragraph', 'toc', tocBlock, { alt: ['paragraph'] })
  const render: RendererRule = (tokens) => {
    const entries = tocEntries(tokens)
    if (entries.length === 0) return ''
    return `<nav class="table-of-contents" aria-label="Table of contents">\n${renderList(entries, md.utils.escapeHtml)}\n</nav>\n`
  }
  md.renderer.rules.toc = render
}
