/** `sitemap.xml` (absolute URLs, sorted), `robots.txt` pointing at it, and `_redirects`. */
import { absoluteUrl, encodePath } from './paths.ts'
import type { AliasRoute } from './routes.ts'

export interface SitemapEntry {
  urlPath: string
  /** `YYYY-MM-DD` or an ISO timestamp. */
  lastmod: string | undefined
}

const escapeXml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

export function renderSitemap(baseUrl: string, entries: readonly SitemapEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.urlPath < b.urlPath ? -1 : a.urlPath > b.urlPath ? 1 : 0))
  const urls = sorted.map((e) => {
    const lastmod = e.lastmod === undefined ? '' : `<lastmod>${escapeXml(e.lastmod)}</lastmod>`
    return `  <url><loc>${escapeXml(absoluteUrl(baseUrl, e.urlPath))}</loc>${lastmod}</url>\n`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('')}</urlset>\n`
}

export function renderRobots(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(baseUrl, '/sitemap.xml')}\n`
}

/**
 * `_redirects` for gateways that read it (subdomain and DNSLink; path gateways ignore it,
 * which is why every alias also gets a redirect page). Missing paths get the 404 page.
 */
export function renderRedirects(aliases: readonly AliasRoute[]): string {
  const lines = aliases.map((a) => `${encodePath(a.urlPath)} ${encodePath(a.post.urlPath)} 301`)
  lines.push('/* /404.html 404')
  return `${lines.join('\n')}\n`
}
