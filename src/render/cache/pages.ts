/**
 * The render cache as the page renderer uses it, for one site: keys that cover the site's
 * config and templates, and the check that a cached page's links still resolve to the
 * same files of this build (a post added or removed elsewhere can change where a link goes).
 */
import type { LinkIndex, Resolution } from '../link-resolve.ts'
import { basePrefixes, isPageIndependent, resolveLink } from '../link-resolve.ts'
import type { ResolvedSiteConfig, TextSource } from '../types.ts'
import type { RenderCache } from './cache.ts'
import type { LinkRecord } from './format.ts'
import { pageKey, siteKey } from './keys.ts'

export interface PageCache {
  /** The key of a page: its template, output path, the data the template gets, and `extra` for data left out. */
  key(template: string, path: string, data: object, extra?: string): string
  /** The cached page, if its links still resolve as they did. */
  get(key: string): Uint8Array | undefined
  /** The id of a link the link pass resolved, for `put`. */
  link(value: string, dirs: readonly string[], r: Extract<Resolution, { kind: 'internal' }>): number
  put(key: string, bytes: Uint8Array, links: readonly number[]): void
}

export function pageCache(cache: RenderCache, site: { config: ResolvedSiteConfig; templates: readonly TextSource[]; index: LinkIndex }): PageCache {
  const { index } = site
  const siteHash = siteKey(cache.fingerprint, site.config, site.templates)
  const prefixes = basePrefixes(index.baseUrl)
  const resolves = ([dirs, value, target, suffix]: LinkRecord): boolean => {
    const r = resolveLink(value, dirs === '' ? [] : dirs.split('\0'), index, prefixes)
    return r.kind === 'internal' && r.target === target && r.suffix === suffix
  }
  // A site-absolute link resolves to one object per build (see resolveLink), shared by every page that has it.
  const independent = new Map<Resolution, number>()
  return {
    key: (template, path, data, extra = '') => pageKey(siteHash, template, path, data, extra),
    get: (key) => cache.getPage(key, resolves),
    link(value, dirs, r) {
      const known = independent.get(r)
      if (known !== undefined) return known
      if (!isPageIndependent(value)) return cache.linkId(dirs.length === 1 ? dirs[0]! : dirs.join('\0'), value, r.target, r.suffix)
      const id = cache.linkId('', value, r.target, r.suffix)
      independent.set(r, id)
      return id
    },
    put: (key, bytes, links) => cache.putPage(key, bytes, links),
  }
}
