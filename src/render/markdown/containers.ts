/**
 * `::: name [title]` ... `:::` blocks. `callout` and `right` are this blog's own;
 * the rest are VuePress's (v1 and v2), so posts moved from there render unchanged.
 */
import type { MarkdownIt, RendererRule } from 'markdown-it'
import container from 'markdown-it-container'

/** Container name → the title shown when none is written (undefined: no title). */
const CONTAINERS: ReadonlyMap<string, string | undefined> = new Map([
  ['callout', undefined],
  ['right', undefined],
  ['tip', 'Tip'],
  ['info', 'Info'],
  ['note', 'Note'],
  ['important', 'Important'],
  ['warning', 'Warning'],
  ['caution', 'Caution'],
  ['danger', 'Danger'],
  ['details', 'Details'],
])

/** The `callout` look, for VuePress's admonitions. */
const CALLOUT_CLASS = 'callout'

function parseInfo(info: string): { name: string; title: string } {
  const trimmed = info.trim()
  const space = trimmed.search(/\s/)
  if (space === -1) return { name: trimmed.toLowerCase(), title: '' }
  return { name: trimmed.slice(0, space).toLowerCase(), title: trimmed.slice(space).trim() }
}

export function containersPlugin(md: MarkdownIt): void {
  const escapeHtml = md.utils.escapeHtml
  const render: RendererRule = (tokens, idx) => {
    const token = tokens[idx]
    if (!token) return ''
    if (token.nesting === -1) return token.tag === 'details' ? '</details>\n' : '</div>\n'
    const { name, title: written } = parseInfo(token.info)
    const title = written !== '' ? written : CONTAINERS.get(name)
    if (name === 'details') {
      return `<details class="details">\n<summary>${escapeHtml(title ?? '')}</summary>\n`
    }
    const className = name === 'callout' || name === 'right' ? name : `${CALLOUT_CLASS} ${name}`
    const heading = title === undefined ? '' : `<p class="callout-title">${escapeHtml(title)}</p>\n`
    return `<div class="${className}">\n${heading}`
  }
  md.use(container, 'custom', {
    validate: (params: string) => CONTAINERS.has(parseInfo(params).name),
    render,
  })
  // A closing `:::` does not say what it closes: take the tag from the matching opener.
  md.core.ruler.push('container_pairs', (state) => {
    const open: string[] = []
    for (const token of state.tokens) {
      if (token.type === 'container_custom_open') open.push(parseInfo(token.info).name === 'details' ? 'details' : 'div')
      else if (token.type === 'container_custom_close') token.tag = open.pop() ?? 'div'
    }
  })
}
