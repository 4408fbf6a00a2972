/**
 * The link pass: one scan of a finished HTML page that makes every internal link
 * and asset reference relative to the page (or absolute, for feeds) and reports those that
 * point at nothing. Attribute values are replaced by offset, so every other byte of the
 * page stays as the template and the Markdown renderer wrote it.
 */
import { QuoteType, scanStartTags, type TagAttribute } from './html-scan.ts'
import { basePrefixes, type LinkIndex, type Resolution, resolveLink } from './link-resolve.ts'
import { absoluteUrl, dirOf, relativeUrl } from './paths.ts'

/** Attributes that hold a URL (or a list of them, for srcset). */
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'poster', 'xlink:href', 'data'])
/** What the pass reads: the URL attributes and those that decide how a link is treated. */
const READ_ATTRIBUTES: ReadonlySet<string> = new Set([...URL_ATTRIBUTES, 'rel', 'hreflang'])
/** Elements whose image-like attributes make a missing target a "missing asset". */
const ASSET_ELEMENTS = new Set(['img', 'source', 'video', 'audio', 'track', 'script', 'link', 'iframe', 'embed', 'object', 'input', 'image', 'use'])

export interface BrokenLink {
  /** Offset of the attribute value in the page. */
  offset: number
  /** The value as written (entities decoded). */
  value: string
  /** The site path it was looked up at. */
  path: string
  asset: boolean
  /** True when the link is inside the post content region. */
  inContent: boolean
}

export interface LinkPassOptions {
  /** Output path of the page: `posts/hello/index.html`. */
  page: string
  index: LinkIndex
  /**
   * The region of the page holding a post's rendered Markdown: relative links there are
   * written relative to the post's source file, as editors preview them.
   */
  content?: { start: number; end: number; sourceFile: string }
  /** `absolute` writes links as full URLs under the base URL (feed content). @default 'relative' */
  mode?: 'relative' | 'absolute'
  /**
   * Told each link that resolved to a file of the site, with the folders it was resolved
   * against: what a cached page depends on beyond its own inputs.
   */
  onInternal?: (value: string, dirs: readonly string[], resolution: Extract<Resolution, { kind: 'internal' }>) => void
}

export function rewriteLinks(html: string, options: LinkPassOptions): { html: string; broken: BrokenLink[] } {
  const { page, index, content, onInternal } = options
  const absolute = options.mode === 'absolute'
  const prefixes = basePrefixes(index.baseUrl)
  const pageDirs = [dirOf(page)]
  const contentDirs = content === undefined ? pageDirs : [dirOf(content.sourceFile), dirOf(page)]
  const broken: BrokenLink[] = []
  const parts: string[] = []
  let copied = 0

  const rewriteAttribute = (a: TagAttribute, asset: boolean, keepAbsolute: boolean): string | undefined => {
    if (a.name === 'srcset') return rewriteSrcset(a.value, (url) => rewrite(url, a.start, true))
    const next = rewrite(a.value, a.start, asset)
    return keepAbsolute ? undefined : next
  }

  const rewrite = (value: string, offset: number, asset: boolean): string | undefined => {
    const inContent = content !== undefined && offset >= content.start && offset < content.end
    const dirs = inContent ? contentDirs : pageDirs
    const r = resolveLink(value, dirs, index, prefixes)
    if (r.kind === 'external') return undefined
    if (r.kind === 'broken') {
      broken.push({ offset, value, path: r.path, asset, inContent })
      return undefined
    }
    onInternal?.(value, dirs, r)
    const url = absolute ? absoluteUrl(index.baseUrl, `/${r.target}`) : relativeUrl(page, r.target)
    return url + r.suffix
  }

  scanStartTags(html, (tag, attrs) => {
    if (tag === 'base') return
    let rel: string | undefined
    let hreflang = false
    for (const a of attrs) {
      if (a.name === 'rel') rel ??= a.value.toLowerCase()
      else if (a.name === 'hreflang') hreflang = true
    }
    rel ??= ''
    // Canonical and hreflang alternates name the published URL on purpose: they stay absolute.
    const keepAbsolute = tag === 'link' && (hreflang || /\bcanonical\b/.test(rel))
    for (const a of attrs) {
      if (!URL_ATTRIBUTES.has(a.name) || a.quote === QuoteType.NoValue) continue
      if (a.name === 'data' && tag !== 'object') continue
      const asset = ASSET_ELEMENTS.has(tag) && !(tag === 'link' && !/\b(stylesheet|icon|preload|manifest)\b/.test(rel))
      const next = rewriteAttribute(a, asset, keepAbsolute)
      if (next === undefined || next === a.value) continue
      parts.push(html.slice(copied, a.start))
      parts.push(a.quote === QuoteType.Double || a.quote === QuoteType.Single ? escapeAttribute(next, a.quote) : `"${escapeAttribute(next, QuoteType.Double)}"`)
      copied = a.end
    }
  }, READ_ATTRIBUTES)
  if (copied === 0) return { html, broken }
  parts.push(html.slice(copied))
  return { html: parts.join(''), broken }
}

/** Rewrites each URL of a srcset ("a.png 1x, b.png 2x"); undefined when none changed. */
function rewriteSrcset(value: string, rewrite: (url: string) => string | undefined): string | undefined {
  let changed = false
  const out = value.split(/,(?=\s)|,$/).map((candidate) => {
    const m = /^(\s*)(\S+)(.*)$/s.exec(candidate)
    if (m === null) return candidate
    const next = rewrite(m[2]!)
    if (next === undefined) return candidate
    changed = true
    return `${m[1]}${next}${m[3]}`
  })
  return changed ? out.join(',') : undefined
}

function escapeAttribute(value: string, quote: QuoteType): string {
  if (!/[&"']/.test(value)) return value
  const escaped = value.replaceAll('&', '&amp;')
  return quote === QuoteType.Single ? escaped.replaceAll("'", '&#39;') : escaped.replaceAll('"', '&quot;')
}

/** The 1-based line of an offset, for diagnostics (only computed for problems). */
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}
