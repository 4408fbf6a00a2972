/**
 * A small trustless gateway for tests (ipfs/specs `src/http-gateways/trustless-gateway.md`):
 * `GET|HEAD /ipfs/<cid>` answering `?format=raw` / `application/vnd.ipld.raw` with one
 * block and `?format=car` / `application/vnd.ipld.car` with a CARv1 of the DAG, depth-first,
 * each block once, identity blocks left out. Serves from a blockstore, on 127.0.0.1, port 0.
 * Its `faults` can be switched at any time to make it misbehave in one specific way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CarWriter } from '@ipld/car/writer'
import type { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'

export interface GatewayFaults {
  /** Served with their first byte flipped, over CAR and raw. */
  tamper?: CID[]
  /** Not there: raw answers 404, a CAR stops where the walk reaches them (as the spec says it should). */
  missing?: CID[]
  /** The CAR stops after this many blocks: cleanly ('end', as a gateway that gave up on a block) or by going silent ('stall'). */
  carStopAfter?: { blocks: number; mode: 'end' | 'stall' }
  /** The CAR is cut in the middle of its last block. */
  truncateCar?: boolean
  /** The CAR header names this root instead of the requested CID. */
  wrongRoot?: CID
  /** CAR requests answer 406 Not Acceptable. */
  carUnsupported?: boolean
  /** The next `count` requests answer `status`, with `Retry-After: retryAfter` when given; counts down. */
  failNext?: { count: number; status: number; retryAfter?: string }
  /** These requests are accepted and never answered. */
  stall?: 'car' | 'raw' | 'all'
  /** Valid blocks unrelated to the DAG, sent after it in every CAR. */
  extra?: Array<{ cid: CID; bytes: Uint8Array }>
}

export interface GatewayRequest {
  method: string
  path: string
  format: 'car' | 'raw' | undefined
  status: number
}

export interface TrustlessGateway {
  url: string
  faults: GatewayFaults
  requests: GatewayRequest[]
  close(): Promise<void>
}

const CAR_TYPE = 'application/vnd.ipld.car'
const RAW_TYPE = 'application/vnd.ipld.raw'

function listed(list: CID[] | undefined, cid: CID): boolean {
  return list?.some((c) => c.multihash.bytes.length === cid.multihash.bytes.length && c.multihash.bytes.every((b, i) => b === cid.multihash.bytes[i])) ?? false
}

async function getBlock(store: MemoryBlockstore, faults: GatewayFaults, cid: CID): Promise<Uint8Array | undefined> {
  if (cid.multihash.code === 0x00) return cid.multihash.digest
  if (listed(faults.missing, cid) || !(await store.has(cid))) return undefined
  const parts: Uint8Array[] = []
  for await (const part of store.get(cid)) parts.push(part)
  const bytes = Buffer.concat(parts)
  if (listed(faults.tamper, cid)) bytes[0] = (bytes[0] ?? 0) ^ 0xff
  return bytes
}

/** Links as each codec defines them, written apart from the verifier's so a bug in one does not hide in the other. */
function links(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === dagPb.code) return dagPb.decode(bytes).Links.map((l) => l.Hash)
  if (cid.code === dagCbor.code) return findCids(dagCbor.decode(bytes))
  if (cid.code === dagJson.code) return findCids(dagJson.decode(bytes))
  return []
}

function findCids(value: unknown): CID[] {
  const cid = CID.asCID(value)
  if (cid !== null) return [cid]
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return []
  return Object.values(value).flatMap(findCids)
}

/** Depth-first, each block once; stops at the first block it does not have. */
async function* dfs(store: MemoryBlockstore, faults: GatewayFaults, root: CID): AsyncGenerator<{ cid: CID; bytes: Uint8Array }> {
  const seen = new Set<string>()
  const stack = [root]
  while (stack.length > 0) {
    const cid = stack.pop()!
    const key = cid.toV1().toString()
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = await getBlock(store, faults, cid)
    if (bytes === undefined) return
    if (cid.multihash.code !== 0x00) yield { cid, bytes }
    // Links of a tampered block may not decode; the gateway then sends what it has.
    let children: CID[] = []
    try {
      children = links(cid, bytes)
    } catch {}
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
}

async function sendCar(res: ServerResponse, store: MemoryBlockstore, faults: GatewayFaults, root: CID, scope: string): Promise<void> {
  const { writer, out } = CarWriter.create([faults.wrongRoot ?? root])
  const produce = (async () => {
    let last: Uint8Array | undefined
    let sent = 0
    for await (const block of dfs(store, faults, root)) {
      if (faults.carStopAfter?.blocks === sent) {
        // Never resolves: the response stays open and silent until the client gives up.
        if (faults.carStopAfter.mode === 'stall') await new Promise(() => {})
        break
      }
      await writer.put(block)
      sent++
      last = block.bytes
      if (scope === 'block') break
    }
    for (const block of faults.extra ?? []) await writer.put(block)
    await writer.close()
    return last
  })()
  const chunks: Uint8Array[] = []
  for await (const chunk of out) {
    // To cut inside the last block, the end must be known: only then is the CAR held back.
    if (faults.truncateCar === true) chunks.push(chunk)
    else res.write(chunk)
  }
  const last = await produce
  if (faults.truncateCar === true) {
    const car = Buffer.concat(chunks)
    res.write(car.subarray(0, car.length - Math.ceil((last?.length ?? 2) / 2)))
  }
  res.end()
}

function requestedFormat(req: IncomingMessage, url: URL): 'car' | 'raw' | 'other' | undefined {
  const format = url.searchParams.get('format')
  // The spec gives `format` precedence over Accept.
  if (format !== null) return format === 'car' || format === 'raw' ? format : 'other'
  const accept = req.headers.accept ?? ''
  if (accept.includes(CAR_TYPE)) return 'car'
  if (accept.includes(RAW_TYPE)) return 'raw'
  return undefined
}

async function handle(req: IncomingMessage, res: ServerResponse, store: MemoryBlockstore, gateway: TrustlessGateway): Promise<void> {
  const { faults } = gateway
  const url = new URL(req.url ?? '/', 'http://gateway')
  const format = requestedFormat(req, url)
  const entry: GatewayRequest = { method: req.method ?? 'GET', path: url.pathname, format: format === 'car' || format === 'raw' ? format : undefined, status: 0 }
  gateway.requests.push(entry)
  const reply = (status: number, text: string, headers: Record<string, string> = {}): void => {
    entry.status = status
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(req.method === 'HEAD' ? undefined : `${text}\n`)
  }
  if (faults.stall === 'all' || faults.stall === format) return
  if (faults.failNext !== undefined && faults.failNext.count > 0) {
    faults.failNext.count--
    return reply(faults.failNext.status, 'try again later', faults.failNext.retryAfter === undefined ? {} : { 'retry-after': faults.failNext.retryAfter })
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'only GET and HEAD', { allow: 'GET, HEAD' })
  const match = /^\/ipfs\/([^/]+)\/?$/.exec(url.pathname)
  if (match === null) return reply(404, 'only /ipfs/<cid> is served here')
  let cid: CID
  try {
    cid = CID.parse(match[1]!)
  } catch {
    return reply(400, `not a CID: ${match[1]}`)
  }
  if (format === undefined || format === 'other') return reply(400, 'a trustless gateway needs ?format=raw|car or an Accept header naming one')
  if (format === 'car' && faults.carUnsupported === true) return reply(406, 'CAR responses are not supported here')
  const scope = url.searchParams.get('dag-scope') ?? 'all'
  if (format === 'car' && scope !== 'all' && scope !== 'block') return reply(400, `dag-scope=${scope} is not supported here`)
  const bytes = await getBlock(store, faults, cid)
  if (bytes === undefined) return reply(404, `block ${cid} not found`)
  entry.status = 200
  const common = { 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=29030400, immutable' }
  if (format === 'raw') {
    res.writeHead(200, { ...common, 'content-type': RAW_TYPE, 'content-disposition': `attachment; filename="${cid}.bin"`, etag: `"${cid}.raw"`, 'content-length': String(bytes.length) })
    res.end(req.method === 'HEAD' ? undefined : bytes)
    return
  }
  res.writeHead(200, { ...common, 'content-type': `${CAR_TYPE}; version=1; order=dfs; dups=n`, 'content-disposition': `attachment; filename="${cid}.car"`, etag: `W/"${cid}.car.${scope}"` })
  if (req.method === 'HEAD') return void res.end()
  await sendCar(res, store, faults, cid, scope)
}

export async function startTrustlessGateway(store: MemoryBlockstore, faults: GatewayFaults = {}): Promise<TrustlessGateway> {
  const gateway: TrustlessGateway = { url: '', faults, requests: [], close: async () => {} }
  const server = createServer((req, res) => {
    handle(req, res, store, gateway).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  gateway.close = () =>
    new Promise((resolve) => {
      // Stalled requests are never answered; drop them so close() returns.
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return gateway
}
