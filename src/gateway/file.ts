/**
 * A deserialized file: its type, the conditional and range parts of HTTP, and a body
 * read with the UnixFS exporter's `content({ offset, length })` (what `@helia/unixfs`
 * `cat` runs), which fetches only the blocks a range covers.
 */
import type { UnixFSEntry } from 'ipfs-unixfs-exporter'
import { etagMatches } from './caching.ts'
import { SNIFF_BYTES, sniffType, typeFromName } from './content-type.ts'
import type { RequestContext } from './context.ts'
import { parseRange } from './range.ts'
import { type Headers, sendBytes, sendStream, writeHead } from './reply.ts'

/** Media types of IPLD codecs served as they are stored. */
const CODEC_TYPES = new Map<number, string>([
  [0x0129, 'application/vnd.ipld.dag-json'],
  [0x71, 'application/vnd.ipld.dag-cbor'],
  [0x0200, 'application/json'],
  [0x51, 'application/cbor'],
])

export interface FileOptions {
  /** The name the type is guessed from (the last path segment, or `?filename=`). */
  name: string | undefined
  /** Headers for this content (caching, `X-Ipfs-Path`, `X-Ipfs-Roots`). */
  headers: Headers
  /** Another status than 200 (a 404 page, a `_redirects` rule); ranges and 304 do not apply then. */
  status?: number
}

export async function serveEntry(rc: RequestContext, entry: UnixFSEntry, options: FileOptions): Promise<void> {
  const { req, res, url } = rc
  const status = options.status ?? 200
  const etag = `"${entry.cid}"`
  const headers: Headers = { ...options.headers, ETag: etag, ...disposition(url.searchParams) }
  if (status === 200 && etagMatches(req.headers['if-none-match'], etag)) {
    writeHead(res, 304, headers)
    res.end()
    return
  }

  if (entry.type === 'object' || entry.type === 'directory') {
    // An IPLD document (dag-cbor, dag-json, ...) is its block; directories never get here.
    const bytes = entry.type === 'object' ? entry.node : new Uint8Array()
    const type = CODEC_TYPES.get(entry.cid.code) ?? 'application/octet-stream'
    sendBytes(res, status, { ...headers, 'Content-Type': type }, bytes, rc.head)
    return
  }

  const size = Number(entry.size)
  // The entry is already exported: reading from it spares `cat` a second root lookup.
  const read = (offset: number, length: number) => entry.content({ offset, length, signal: rc.signal })
  const filename = url.searchParams.get('filename') ?? options.name
  let type = typeFromName(filename)
  if (type === undefined) {
    const chunks: Uint8Array[] = []
    for await (const chunk of read(0, Math.min(SNIFF_BYTES, size))) chunks.push(chunk)
    type = sniffType(Buffer.concat(chunks), size <= SNIFF_BYTES)
  }
  headers['Content-Type'] = type
  headers['Accept-Ranges'] = 'bytes'

  const ifRange = req.headers['if-range']
  const rangeHeader = status === 200 && (ifRange === undefined || ifRange === etag) ? req.headers.range : undefined
  const range = parseRange(rangeHeader, size)
  if (range.kind === 'unsatisfiable') {
    sendBytes(res, 416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Type': 'text/plain; charset=utf-8' }, Buffer.from(`416 Range Not Satisfiable: the file has ${size} bytes\n`), rc.head)
    return
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1]
  const length = end - start + 1
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  headers['Content-Length'] = length
  const body = length > 0 ? read(start, length) : (async function* () {})()
  await sendStream(res, range.kind === 'partial' ? 206 : status, headers, body, { head: rc.head, signal: rc.signal, onChunk: rc.progress })
}

/** `Content-Disposition` from `?filename=` and `?download=true`, both ASCII and UTF-8 forms (RFC 8187). */
export function disposition(query: URLSearchParams): Headers {
  const filename = query.get('filename')
  const download = query.get('download') === 'true'
  if (filename === null && !download) return {}
  const kind = download ? 'attachment' : 'inline'
  if (filename === null) return { 'Content-Disposition': kind }
  return { 'Content-Disposition': `${kind}; ${filenameParams(filename)}` }
}

export function filenameParams(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const utf8 = /^[\x20-\x7e]*$/.test(filename) ? '' : `; filename*=UTF-8''${encodeURIComponent(filename)}`
  return `filename="${ascii}"${utf8}`
}
