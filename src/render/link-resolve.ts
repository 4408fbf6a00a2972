/**
 * Resolves one link or asset reference of a page to a file of the site. Internal links are
 * site-absolute (`/posts/x/`), relative, absolute URLs under the site's base URL, or links
 * to a post's Markdown source (`./other.md`); everything else is left alone.
 */
import { normalizeSegments } from './paths.ts'

/** What links are resolved against: the site's files and where each post ended up. */
export interface LinkIndex {
  /** Every output path of the site. */
  files: ReadonlySet<string>
  /** A post's source file (`posts/a.md`) → its URL path (`/posts/a/`). */
  sources: ReadonlyMap<string, string>
  /** The site's base URL, ending with a slash. */
  baseUrl: string
}

export type Resolution =
  | { kind: 'external' }
  /** `target` is an output path, or a folder ending in `/` that holds an index.html. */
  | { kind: 'internal'; target: string; suffix: string }
  | { kind: 'broken'; path: string }

const SCHEME = /^[a-z][a-z0-9+.-]*:/i
const MARKDOWN = /\.(md|markdown)$/i
const EXTERNAL: Resolution = { kind: 'external' }

/** Splits the site's base URL once, so each link only costs a prefix comparison. */
export function basePrefixes(baseUrl: string): { absolute: string; protocolRelative: string } {
  const url = new URL(baseUrl)
  const absolute = `${url.protocol}//${url.host}`.toLowerCase() + url.pathname
  return { absolute, protocolRelative: absolute.slice(url.protocol.length) }
}

/**
 * Resolves `value` (an attribute value, entities decoded). Relative links are tried
 * against each of `dirs` in order (output or source folders ending in `/`).
 */
export function resolveLink(
  value: string,
  dirs: readonly string[],
  index: LinkIndex,
  prefixes: { absolute: string; protocolRelative: string },
): Resolution {
  // Site-absolute links and URLs (nav, feeds, tags, links between posts) repeat on every
  // page and do not depend on it: each is resolved once per site.
  if (isPageIndependent(value)) {
    let cache = caches.get(index)
    if (cache === undefined) {
      cache = new Map()
      caches.set(index, cache)
    }
    const known = cache.get(value)
    if (known !== undefined) return known
    // `value` is a slice of its page, and V8 slices keep their whole parent string alive: a
    // cached one would keep every page's HTML in memory. Resolve (and keep) a copy instead.
    const own = JSON.parse(JSON.stringify(value)) as string
    const resolution = resolve(own, dirs, index, prefixes)
    cache.set(own, resolution)
    return resolution
  }
  return resolve(value, dirs, index, prefixes)
}

/** Site-absolute links and URLs: `dirs` play no part in how they resolve. */
export function isPageIndependent(value: string): boolean {
  return value.startsWith('/') || SCHEME.test(value)
}

/** Resolutions of page-independent links, per site (the index is made once per render). */
const caches = new WeakMap<LinkIndex, Map<string, Resolution>>()

function resolve(value: string, dirs: readonly string[], index: LinkIndex, prefixes: { absolute: string; protocolRelative: string }): Resolution {
  let rest = value.trim()
  if (rest === '' || rest.startsWith('#')) return EXTERNAL
  if (rest.startsWith('//')) {
    const site = siteRelative(rest, prefixes.protocolRelative)
    if (site === undefined) return EXTERNAL
    rest = site
  } else if (SCHEME.test(rest)) {
    const site = /^https?:/i.test(rest) ? siteRelative(rest, prefixes.absolute) : undefined
    if (site === undefined) return EXTERNAL
    rest = site
  }
  const cut = rest.search(/[?#]/)
  const rawPath = cut === -1 ? rest : rest.slice(0, cut)
  const suffix = cut === -1 ? '' : rest.slice(cut)
  if (rawPath === '') return EXTERNAL
  let path: string
  try {
    path = decodeURIComponent(rawPath)
  } catch {
    path = rawPath
  }
  const candidates = path.startsWith('/') ? [path.slice(1)] : dirs.map((d) => `${d}${path}`)
  let first: string | undefined
  for (const candidate of candidates) {
    const normal = normalizeSegments(candidate)
    if (normal === undefined) continue
    first ??= normal
    const target = lookup(normal, index)
    if (target !== undefined) return { kind: 'internal', target, suffix }
  }
  return { kind: 'broken', path: first ?? path }
}

/** The path of `url` inside the site (`/posts/x/`) when it starts with the site's prefix. */
function siteRelative(url: string, prefix: string): string | undefined {
  const lower = url.slice(0, prefix.length).toLowerCase()
  // Hosts are case-insensitive; a base path differing only in case is taken as the site too.
  if (lower === prefix.toLowerCase()) return `/${url.slice(prefix.length)}`
  if (`${url}/`.toLowerCase() === prefix.toLowerCase()) return '/'
  return undefined
}

function lookup(path: string, index: LinkIndex): string | undefined {
  if (path === '' || path.endsWith('/')) return index.files.has(`${path}index.html`) ? path : undefined
  if (index.files.has(path)) return path
  if (index.files.has(`${path}/index.html`)) return `${path}/`
  if (MARKDOWN.test(path)) {
    const url = index.sources.get(path)
    if (url !== undefined) return url.slice(1)
  }
  return undefined
}
