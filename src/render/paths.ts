/**
 * Paths of the output. Two spellings are used throughout: a URL path, site-absolute and
 * percent-decoded (`/posts/hello/`), and an output path, relative, naming a file
 * (`posts/hello/index.html`).
 */

/** `/posts/x/` → `posts/x/index.html`; `/feed.xml` → `feed.xml`. */
export function outputPathOf(urlPath: string): string {
  const path = urlPath.replace(/^\/+/, '')
  return path === '' || path.endsWith('/') ? `${path}index.html` : path
}

/** `posts/x/index.html` → `/posts/x/`: how pages are linked (directory form). */
export function urlPathOf(outputPath: string): string {
  return outputPath === 'index.html' || outputPath.endsWith('/index.html')
    ? `/${outputPath.slice(0, -'index.html'.length)}`
    : `/${outputPath}`
}

/**
 * A permalink as written in front matter (`posts/x`, `/posts/x/`, `/old.html`) as a URL
 * path: leading slash, and a trailing slash unless the last segment names a file.
 */
export function normalizePermalink(permalink: string): string {
  let path = `/${permalink.trim()}`.replace(/\/{2,}/g, '/')
  const last = path.slice(path.lastIndexOf('/') + 1)
  if (last !== '' && !/\.[a-z0-9]+$/i.test(last)) path += '/'
  return path
}

/**
 * Resolves `.` and `..` segments of a slash-separated path. Returns undefined when the
 * path climbs above the site root (a link that cannot point into the site).
 */
export function normalizeSegments(path: string): string | undefined {
  // Most paths have no `.`, `..` or empty segment (nor a leading slash): nothing to do.
  if (!path.startsWith('.') && !path.startsWith('/') && !path.includes('/.') && !path.includes('//')) return path
  const out: string[] = []
  const parts = path.split('/')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const last = i === parts.length - 1
    if (part === '..') {
      if (out.length === 0) return undefined
      out.pop()
      if (last) out.push('')
    } else if (part === '.') {
      if (last) out.push('')
    } else if (part !== '' || last) {
      out.push(part)
    }
  }
  return out.join('/')
}

/** The folder part of an output or source path, with a trailing slash (or '' at the root). */
export function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1)
}

/** Percent-encodes each segment of a decoded path, keeping the characters URLs allow in a path. */
export function encodePath(path: string): string {
  // Most paths are plain ASCII slugs: skip the per-segment work for them.
  if (/^[\w./~-]*$/.test(path)) return path
  return path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%(?:40|3A|21|24|26|27|28|29|2A|2B|2C|3B|3D)/g, decodeURIComponent))
    .join('/')
}

/**
 * The relative URL from the page at output path `from` to `to` (an output path, or a
 * folder ending in `/`): `../assets/x.png`, `./tags/ipfs/`, `../../posts/x/`.
 */
export function relativeUrl(from: string, to: string): string {
  // Compared in place rather than split into segments: this runs for every link of every page.
  const dirEnd = from.lastIndexOf('/') + 1
  const shared = Math.min(dirEnd, to.length)
  let common = 0
  for (let i = 0; i < shared; i++) {
    const c = from.charCodeAt(i)
    if (c !== to.charCodeAt(i)) break
    if (c === 47) common = i + 1
  }
  let up = 0
  for (let i = common; i < dirEnd; i++) if (from.charCodeAt(i) === 47) up++
  const rest = encodePath(to.slice(common))
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`
}

/** The absolute URL of a URL path under the site's base URL (which ends with a slash). */
export function absoluteUrl(baseUrl: string, urlPath: string): string {
  return `${baseUrl}${encodePath(urlPath.replace(/^\/+/, ''))}`
}
