/**
 * `[text]({{< relref "posts/other.md" >}})`: the shortcode sits where markdown-it
 * expects a link destination, which it cannot parse (spaces, quotes). The
 * destination parser is extended to accept it and leave a placeholder URL that
 * carries the target and its line; a core step then resolves it once per link.
 * Parsing happens in several passes (labels are scanned silently first), so the
 * parser itself must not report anything.
 */
import type { MarkdownIt } from 'markdown-it'
import { docOf, newlinesBefore } from '../context.ts'
import { parseShortcode } from './parse.ts'
import { isRef, refTarget, resolveRefTarget } from './shortcodes.ts'

const PLACEHOLDER = 'ipfs-publish-ref:'

export function refLinksPlugin(md: MarkdownIt): void {
  const parseDestination = md.helpers.parseLinkDestination
  md.helpers.parseLinkDestination = (str, start, max) => {
    if (str.charCodeAt(start) === 0x7b /* { */) {
      const parsed = parseShortcode(str, start, max)
      if (parsed?.kind === 'shortcode' && isRef(parsed.shortcode)) {
        const { name } = parsed.shortcode
        const target = encodeURIComponent(refTarget(parsed.shortcode))
        return { ok: true, pos: parsed.end, str: `${PLACEHOLDER}${name}:${newlinesBefore(str, start)}:${target}` }
      }
    }
    return parseDestination(str, start, max)
  }

  md.core.ruler.after('inline', 'hugo_ref_links', (state) => {
    const doc = docOf(state.env)
    let line = 0
    for (const token of state.tokens) {
      if (token.map) line = token.map[0]
      if (token.type !== 'inline') continue
      for (const child of token.children ?? []) {
        const attr = child.type === 'link_open' ? 'href' : child.type === 'image' ? 'src' : undefined
        const value = attr === undefined ? undefined : child.attrGet(attr)
        if (attr === undefined || typeof value !== 'string' || !value.startsWith(PLACEHOLDER)) continue
        const [kind = '', offset = '0', target = ''] = value.slice(PLACEHOLDER.length).split(':')
        // For a reference definition the offset counts from the block that uses it: close enough.
        const url = resolveRefTarget(doc, kind, decodeURIComponent(target), line + Number(offset))
        child.attrSet(attr, url === undefined ? '' : md.normalizeLink(url))
      }
    }
  })
}
