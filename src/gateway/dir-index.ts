/** The HTML listing of a directory that has no `index.html`. */
import type { UnixFSDirectory } from 'ipfs-unixfs-exporter'
import type { RequestContext } from './context.ts'
import { etagMatches } from './caching.ts'
import { type Headers, sendBytes, writeHead } from './reply.ts'

/** Changes whenever the listing's HTML changes, so caches drop listings made by older code. */
const LISTING_VERSION = '1'

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export async function serveDirectoryIndex(rc: RequestContext, dir: UnixFSDirectory, title: string, headers: Headers): Promise<void> {
  const etag = `"DirIndex-${LISTING_VERSION}_CID-${dir.cid}"`
  const all: Headers = { ...headers, ETag: etag, 'Content-Type': 'text/html; charset=utf-8' }
  if (etagMatches(rc.req.headers['if-none-match'], etag)) {
    writeHead(rc.res, 304, all)
    rc.res.end()
    return
  }
  const rows: string[] = []
  for await (const entry of dir.entries({ signal: rc.signal })) {
    rc.progress()
    const href = `./${encodeURIComponent(entry.name)}`
    rows.push(`<tr><td><a href="${escapeHtml(href)}">${escapeHtml(entry.name)}</a></td><td><code>${entry.cid}</code></td><td>${entry.size}</td></tr>`)
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td{padding:.2rem 1rem .2rem 0}code{font-size:.85em;color:#555}</style>
</head><body>
<h1>Index of ${escapeHtml(title)}</h1>
<p><code>${dir.cid}</code></p>
<table><thead><tr><th>Name</th><th>CID</th><th>Size</th></tr></thead><tbody>
<tr><td><a href="../">..</a></td><td></td><td></td></tr>
${rows.join('\n')}
</tbody></table></body></html>
`
  sendBytes(rc.res, 200, all, Buffer.from(html), rc.head)
}
