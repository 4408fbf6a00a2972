/**
 * Heading anchors: every heading gets a unique GitHub-style id (`-1`, `-2` on
 * repeats), or the id written after it as `{#custom-id}` (Hugo and
 * markdown-it-attrs syntax, common in migrated posts).
 */
import type { MarkdownIt, Token } from 'markdown-it'
import anchor from 'markdown-it-anchor'
import type { Heading } from '../types.ts'
import { githubSlug } from './slug.ts'

const CUSTOM_ID = /\s*\{#([A-Za-z][\w:.-]*)\}\s*$/

/** Text of a heading as a reader sees it: emoji included, markup left out. */
export function inlineText(children: Token[] | null): string {
  let text = ''
  for (const child of children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline' || child.type === 'emoji') text += child.content
  }
  return text
}

export function headingsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_custom_id', (state) => {
    const tokens = state.tokens
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]?.type !== 'heading_open') continue
      const last = tokens[i + 1]?.children?.at(-1)
      const match = last?.type === 'text' ? CUSTOM_ID.exec(last.content) : null
      if (!last || !match?.[1]) continue
      last.content = last.content.slice(0, match.index)
      tokens[i]?.attrSet('id', match[1])
    }
  })
  md.use(anchor, {
    slugify: githubSlug,
    getTokensText: inlineText,
    uniqueSlugStartIndex: 1,
    failOnNonUnique: false,
    tabIndex: false,
  })
}

/** The page's headings in document order, read after anchors were assigned. */
export function collectHeadings(tokens: Token[]): Heading[] {
  const headings: Heading[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token?.type !== 'heading_open') continue
    headings.push({
      level: Number(token.tag.slice(1)),
      text: inlineText(tokens[i + 1]?.children ?? null).trim(),
      id: String(token.attrGet('id') ?? ''),
    })
  }
  return headings
}
