/**
 * Gateways serve `404.html` (and `ipfs-404.html`) for a missing path at any depth, so a
 * relative stylesheet link in it only works at the site root. The 404 pages carry the
 * site's own stylesheets inline instead; their other links stay relative (they work at
 * the root, the common case, and a reader can always follow them back).
 */
import { scanStartTags } from './html-scan.ts'
import { basePrefixes, type LinkIndex, resolveLink } from './link-resolve.ts'
import { dirOf } from './paths.ts'

const STYLESHEET_ATTRIBUTES: ReadonlySet<string> = new Set(['rel', 'href', 'media'])

/**
 * Replaces each `<link rel="stylesheet">` of `html` that names one of `stylesheets`
 * (output path → CSS text) with a `<style>` element holding that CSS. A `url()` in the
 * CSS then resolves against the page: the built-in theme has none.
 */
export function inlineStylesheets(html: string, page: string, index: LinkIndex, stylesheets: ReadonlyMap<string, string>): string {
  const prefixes = basePrefixes(index.baseUrl)
  const dirs = [dirOf(page)]
  const parts: string[] = []
  let copied = 0
  scanStartTags(html, (tag, attrs, start, end) => {
    if (tag !== 'link') return
    const rel = attrs.find((a) => a.name === 'rel')?.value.toLowerCase() ?? ''
    const href = attrs.find((a) => a.name === 'href')?.value
    if (!/\bstylesheet\b/.test(rel) || /\balternate\b/.test(rel) || href === undefined) return
    const media = attrs.find((a) => a.name === 'media')?.value
    const target = resolveLink(href, dirs, index, prefixes)
    const css = target.kind === 'internal' ? stylesheets.get(target.target) : undefined
    // CSS holding `</style` would end the element early: such a sheet stays a link.
    if (css === undefined || /<\/style/i.test(css)) return
    parts.push(html.slice(copied, start), media === undefined ? '<style>\n' : `<style media="${escapeQuotes(media)}">\n`, css, css.endsWith('\n') ? '' : '\n', '</style>')
    copied = end
  }, STYLESHEET_ATTRIBUTES)
  if (copied === 0) return html
  parts.push(html.slice(copied))
  return parts.join('')
}

function escapeQuotes(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')
}
