/**
 * Verifiable responses (trustless gateway spec): a raw block, a CAR of a DAG, a signed
 * IPNS record, or an IPLD block in its own codec. All are downloads, never rendered.
 */
import { createHash } from 'node:crypto'
import { IPNSEntry } from '@helia/ipns'
import { base36 } from 'multiformats/bases/base36'
import type { CID } from 'multiformats/cid'
import { blockReader } from './blocks.ts'
import { type CarBlock, type CarSource, carBlocks } from './car.ts'
import { ChunkBuffers, encodeCar } from './car-encode.ts'
import { etagMatches } from './caching.ts'
import type { RequestContext, ResolvedRequest } from './context.ts'
import { filenameParams } from './file.ts'
import type { CarOptions, CodecFormat, Negotiated } from './format.ts'
import { HttpError } from './http-error.ts'
import { parseIpnsKey } from './names.ts'
import { type Headers, sendBytes, sendStream, writeHead } from './reply.ts'
import { findIpnsRecord, walk } from './resolve.ts'
import type { ContentPath } from './url-path.ts'

const CODECS: Record<CodecFormat, { code: number; type: string }> = {
  'dag-json': { code: 0x0129, type: 'application/vnd.ipld.dag-json' },
  'dag-cbor': { code: 0x71, type: 'application/vnd.ipld.dag-cbor' },
  json: { code: 0x0200, type: 'application/json' },
  cbor: { code: 0x51, type: 'application/cbor' },
}

/** Headers of every verifiable response: a download, typed exactly, never sniffed. */
function download(rc: RequestContext, negotiated: Negotiated, type: string, filename: string): Headers {
  const headers: Headers = {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `attachment; ${filenameParams(rc.url.searchParams.get('filename') ?? filename)}`,
  }
  if (negotiated.viaAccept && negotiated.name !== undefined) {
    // Caches key on the URL: name the URL that gives this representation regardless of Accept.
    const query = new URLSearchParams(rc.url.search)
    query.set('format', negotiated.name)
    headers['Content-Location'] = `${rc.url.pathname}?${query}`
  }
  return headers
}

/** Answers 304 when the client already has this representation. */
function notModified(rc: RequestContext, etag: string, headers: Headers): boolean {
  if (!etagMatches(rc.req.headers['if-none-match'], etag)) return false
  writeHead(rc.res, 304, { ...headers, ETag: etag })
  rc.res.end()
  return true
}

async function terminalCid(rc: RequestContext, request: ResolvedRequest): Promise<CID> {
  const segments = [...request.prefix, ...request.path.segments]
  return segments.length === 0 ? request.cid : (await walk(rc.reader, request.cid, segments, rc.signal)).entry.cid
}

export async function serveRawBlock(rc: RequestContext, request: ResolvedRequest, negotiated: Negotiated): Promise<void> {
  const cid = await terminalCid(rc, request)
  const headers = { ...request.headers, ...download(rc, negotiated, 'application/vnd.ipld.raw', `${cid}.bin`) }
  const etag = `"${cid}.raw"`
  if (notModified(rc, etag, headers)) return
  const bytes = await rc.reader.block(cid, { signal: rc.signal })
  sendBytes(rc.res, 200, { ...headers, ETag: etag }, bytes, rc.head)
}

export async function serveCodecBlock(rc: RequestContext, request: ResolvedRequest, negotiated: Negotiated, format: CodecFormat): Promise<void> {
  const cid = await terminalCid(rc, request)
  const codec = CODECS[format]
  if (cid.code !== codec.code) {
    throw new HttpError(406, `${cid} is not ${format} (codec 0x${cid.code.toString(16)}); fetch it with ?format=raw and decode it yourself`)
  }
  const headers = { ...request.headers, ...download(rc, negotiated, codec.type, `${cid}.${format === 'dag-json' || format === 'json' ? 'json' : 'cbor'}`) }
  const etag = `"${cid}.${format}"`
  if (notModified(rc, etag, headers)) return
  sendBytes(rc.res, 200, { ...headers, ETag: etag }, await rc.reader.block(cid, { signal: rc.signal }), rc.head)
}

export async function serveCar(rc: RequestContext, request: ResolvedRequest, negotiated: Negotiated, car: CarOptions): Promise<void> {
  // The blocks read while walking the path are the proof of the path: they go first.
  const recorded: CarBlock[] = []
  const recorder = blockReader(rc.gateway.helia.blockstore, {
    offline: rc.gateway.offline,
    onBlock: (cid, bytes) => {
      recorded.push({ cid, bytes })
      rc.progress()
    },
  })
  const walked = await walk(recorder, request.cid, [...request.prefix, ...request.path.segments], rc.signal)
  const terminal = walked.entry.cid
  const pathBlocks = recorded.filter((b) => !b.cid.equals(terminal))
  const dups = car.dups ? 'y' : 'n'
  const type = `application/vnd.ipld.car; version=1; order=dfs; dups=${dups}`
  const headers = { ...request.headers, ...download(rc, negotiated, type, `${terminal}.car`), 'Accept-Ranges': 'none' }
  const bytes = car.entityBytes === undefined ? '' : `.${car.entityBytes.from}:${car.entityBytes.to}`
  const etag = `"${terminal}.car.${car.scope}${bytes}.dfs.${dups}"`
  if (notModified(rc, etag, headers)) return
  const source: CarSource = {
    reader: rc.reader,
    direct: rc.gateway.direct,
    onDirectRead: rc.progress,
    getCodec: (code: number) => rc.gateway.helia.getCodec(code),
    signal: rc.signal,
  }
  const buffers = new ChunkBuffers()
  const body = encodeCar(request.cid, carBlocks(source, pathBlocks, terminal, car), { buffers })
  await sendStream(rc.res, 200, { ...headers, ETag: etag }, body, {
    head: rc.head,
    signal: rc.signal,
    onChunk: rc.progress,
    onWritten: (chunk) => buffers.written(chunk),
  })
}

export async function serveIpnsRecord(rc: RequestContext, path: ContentPath, negotiated: Negotiated): Promise<void> {
  if (path.namespace !== 'ipns') throw new HttpError(400, 'format=ipns-record is only for /ipns/<name>')
  if (path.segments.length > 0) throw new HttpError(400, 'format=ipns-record takes /ipns/<name> without a path')
  const key = parseIpnsKey(path.root)
  if (key === undefined) throw new HttpError(400, `'${path.root}' is not an IPNS key, so it has no IPNS record (DNSLink names have none)`)
  const { record } = await findIpnsRecord(rc.gateway.resolvers, key, rc.signal)
  const bytes = IPNSEntry.encode(record)
  const name = key.toString(base36)
  const headers: Headers = { ...download(rc, negotiated, 'application/vnd.ipfs.ipns-record', `${name}.ipns-record`) }
  if (record.ttl !== undefined) headers['Cache-Control'] = `public, max-age=${record.ttl / 1_000_000_000n}`
  const etag = `"${createHash('sha256').update(bytes).digest('base64url')}"`
  if (notModified(rc, etag, headers)) return
  sendBytes(rc.res, 200, { ...headers, ETag: etag }, bytes, rc.head)
}
