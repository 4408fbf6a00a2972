/**
 * The link pass: one tokenization of a finished HTML page that makes every internal link
 * and asset reference relative to the page (or absolute, for feeds) and reports those that
 * point at nothing. Attribute values are replaced by offset, so every other byte of the
 * page stays as the template and the Markdown renderer wrote it.
 */
import { QuoteType, Tokenizer } from 'htmlparser2'
import { basePrefixes, type LinkIndex, resolveLink } from './link-resolve.ts'
import { absoluteUrl, dirOf, relativeUrl } from './paths.ts'

/** Attributes that hold a URL (or a list of them, for srcset). */
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'poster', 'xlink:href', 'data'])
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
}

interface Attribute {
  name: string
  value: string
  start: number
  end: number
  quote: QuoteType
}

export function rewriteLinks(html: string, options: LinkPassOptions): { html: string; broken: BrokenLink[] } {
  const { page, index, content } = options
  const absolute = options.mode === 'absolute'
  const prefixes = basePrefixes(index.baseUrl)
  const pageDirs = [dirOf(page)]
  const contentDirs = content === undefined ? pageDirs : [dirOf(content.sourceFile), dirOf(page)]
  const broken: BrokenLink[] = []
  const parts: string[] = []
  let copied = 0

  let tag = ''
  let attrs: Attribute[] = []
  let current: Attribute | undefined

  const rewrite = (value: string, offset: number, asset: boolean): string | undefined => {
    const inContent = content !== undefined && offset >= content.start && offset < content.end
    const r = resolveLink(value, inContent ? contentDirs : pageDirs, index, prefixes)
    if (r.kind === 'external') return undefined
    if (r.kind === 'broken') {
      broken.push({ offset, value, path: r.path, asset, inContent })
      return undefined
    }
    const url = absolute ? absoluteUrl(index.baseUrl, `/${r.target}`) : relativeUrl(page, r.target)
    return url + r.suffix
  }

  const finishTag = (): void => {
    const rel = attrs.find((a) => a.name === 'rel')?.value.toLowerCase() ?? ''
    // Canonical and hreflang alternates name the published URL on purpose: they stay absolute.
    const keepAbsolute = tag === 'link' && (/\bcanonical\b/.test(rel) || attrs.some((a) => a.name === 'hreflang'))
    for (const a of attrs) {
      if (!URL_ATTRIBUTES.has(a.name) || a.quote === QuoteType.NoValue || tag === 'base') continue
      if (a.name === 'data' && tag !== 'object') continue
      const asset = ASSET_ELEMENTS.has(tag) && !(tag === 'link' && !/\b(stylesheet|icon|preload|manifest)\b/.test(rel))
      let next: string | undefined
      if (a.name === 'srcset') {
        next = rewriteSrcset(a.value, (url) => rewrite(url, a.start, true))
      } else {
        next = rewrite(a.value, a.start, asset)
        if (keepAbsolute && next !== undefined) next = undefined
      }
      if (next === undefined || next === a.value) continue
      parts.push(html.slice(copied, a.start))
      parts.push(a.quote === QuoteType.Double || a.quote === QuoteType.Single ? escapeAttribute(next, a.quote) : `"${escapeAttribute(next, QuoteType.Double)}"`)
      copied = a.end
    }
    attrs = []
  }

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase()
        attrs = []
      },
      onattribname(start, end) {
        current = { name: html.slice(start, end).toLowerCase(), value: '', start: valueStart(html, end), end: -1, quote: QuoteType.NoValue }
      },
      onattribdata(start, end) {
        if (current !== undefined) current.value += html.slice(start, end)
      },
      onattribentity(codepoint) {
        if (current !== undefined) current.value += String.fromCodePoint(codepoint)
      },
      onattribend(quote, end) {
        if (current === undefined) return
        current.quote = quote
        current.end = quote === QuoteType.Double || quote === QuoteType.Single ? end - 1 : end
        attrs.push(current)
        current = undefined
      },
      onopentagend: finishTag,
      onselfclosingtag: finishTag,
      oncdata() {},
      onclosetag() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  )
  tokenizer.write(html)
  tokenizer.end()
  if (copied === 0) return { html, broken }
  parts.push(html.slice(copied))
  return { html: parts.join(''), broken }
}

/** Where an attribute's value starts: after `=`, spaces and the opening quote. */
function valueStart(html: string, nameEnd: number): number {
  let i = nameEnd
  while (i < html.length && /\s/.test(html[i]!)) i++
  if (html[i] !== '=') return i
  i++
  while (i < html.length && /\s/.test(html[i]!)) i++
  return html[i] === '"' || html[i] === "'" ? i + 1 : i
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
