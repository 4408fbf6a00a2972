import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import { IPNS_RECORD_MAX_BYTES } from '../../src/constants.ts'
import { createIpnsRouter, normalizeRouterUrl } from '../../src/name/routing.ts'
import { type RoutingServer, startRoutingServer } from '../helpers/routing-server.ts'

const SITE = CID.parse('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
/** Retries that do not slow the suite: the delays are what is under test, not their length. */
const FAST_RETRY = { retries: 2, minDelayMs: 1, maxDelayMs: 5 }

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void

/** A loopback HTTP server whose answer each test decides; it records every request. */
async function faultServer(): Promise<{ url: string; requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }>; handle: (h: Handler) => void; close: () => Promise<void> }> {
  let handler: Handler = (_req, res) => res.writeHead(500).end()
  const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h
      requests.length = 0
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

let real: RoutingServer
let fault: Awaited<ReturnType<typeof faultServer>>
let name: string
let record: Uint8Array
before(async () => {
  ;[real, fault] = await Promise.all([startRoutingServer(), faultServer()])
  const key = await generateKeyPair('Ed25519')
  name = key.publicKey.toCID().toString(base36)
  record = marshalIPNSRecord(await createIPNSRecord(key, SITE, 1n, 60_000, { v1Compatible: true }))
})
after(() => Promise.all([real.stop(), fault.close()]))

describe('normalizeRouterUrl', () => {
  it('keeps a base path, drops trailing slashes and a trailing /routing/v1, and refuses what is not http(s)', () => {
    assert.equal(normalizeRouterUrl('https://delegated-ipfs.dev/'), 'https://delegated-ipfs.dev')
    assert.equal(normalizeRouterUrl('https://delegated-ipfs.dev/routing/v1'), 'https://delegated-ipfs.dev')
    assert.equal(normalizeRouterUrl('http://127.0.0.1:8080/proxy/'), 'http://127.0.0.1:8080/proxy')
    assert.throws(() => normalizeRouterUrl('delegated-ipfs.dev'), { name: 'IpnsRoutingError', message: /is not a URL/ })
    assert.throws(() => normalizeRouterUrl('ftp://x'), { message: /must be http:\/\/ or https:\/\// })
    assert.throws(() => normalizeRouterUrl('https://x/?a=1'), { message: /without a query/ })
  })
})

describe('createIpnsRouter', () => {
  it('gets nothing for an unknown name from the real server (200 text/plain, IPIP-0513), then what was PUT, byte for byte', async () => {
    const router = createIpnsRouter({}, { url: real.url })
    assert.equal(await router.get(name), undefined)
    await router.put(name, record)
    assert.deepEqual(await router.get(name), record)
  })

  it('sends the record with its media type, asks for one, and bypasses caches', async () => {
    fault.handle((_req, res) => res.writeHead(200).end())
    const router = createIpnsRouter({}, { url: fault.url })
    await router.put(name, record)
    const [put] = fault.requests
    assert.equal(put?.method, 'PUT')
    assert.equal(put?.url, `/routing/v1/ipns/${name}`)
    assert.equal(put?.headers['content-type'], 'application/vnd.ipfs.ipns-record')
    assert.deepEqual(new Uint8Array(put?.body ?? []), record)
    fault.handle((_req, res) => res.writeHead(404).end())
    assert.equal(await router.get(name), undefined, '404 is no record')
    const [get] = fault.requests
    assert.equal(get?.url, `/routing/v1/ipns/${name}`)
    assert.equal(get?.headers.accept, 'application/vnd.ipfs.ipns-record')
    assert.equal(get?.headers['cache-control'], 'no-cache')
  })

  it('retries a 503, waiting as long as Retry-After says, and reports each retry', async () => {
    let calls = 0
    fault.handle((_req, res) => {
      calls++
      if (calls === 1) res.writeHead(503, { 'retry-after': '0' }).end('busy')
      else res.writeHead(200, { 'content-type': 'application/vnd.ipfs.ipns-record' }).end(record)
    })
    const retries: string[] = []
    const router = createIpnsRouter({}, { url: fault.url, ...FAST_RETRY })
    assert.deepEqual(await router.get(name, { onRetry: (info) => retries.push(info.reason) }), record)
    assert.deepEqual(retries, ['HTTP 503 Service Unavailable'])
  })

  it('quotes the router’s reason when it refuses a PUT, and keeps the status', async () => {
    fault.handle((_req, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end('record signature verification failed\n'))
    const router = createIpnsRouter({}, { url: fault.url, ...FAST_RETRY })
    await assert.rejects(router.put(name, record), (err: Error & { status?: number; router?: string }) => {
      assert.equal(err.name, 'IpnsRoutingError')
      assert.equal(err.status, 400)
      assert.equal(err.router, fault.url)
      assert.match(err.message, /refused the PUT of the IPNS record for k51\w+: HTTP 400 Bad Request: record signature verification failed$/)
      return true
    })
    assert.equal(fault.requests.length, 1, 'a 400 is not retried')
  })

  it('refuses a record over the 10 KiB limit of IPNS records', async () => {
    fault.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.ipfs.ipns-record' }).end(Buffer.alloc(IPNS_RECORD_MAX_BYTES + 1)))
    const router = createIpnsRouter({}, { url: fault.url })
    await assert.rejects(router.get(name), { name: 'IpnsRoutingError', message: /10241 bytes, over the 10240-byte limit/ })
  })

  it('gives up after its retries with the last network error, naming the router', async () => {
    const gone = await faultServer()
    await gone.close()
    const router = createIpnsRouter({}, { url: gone.url, ...FAST_RETRY })
    await assert.rejects(router.get(name), { name: 'IpnsRoutingError', message: new RegExp(`^${gone.url}: GET of the IPNS record for k51\\w+ failed: .*ECONNREFUSED`) })
  })

  it('stops at once when its signal is aborted', async () => {
    const router = createIpnsRouter({}, { url: real.url })
    await assert.rejects(router.get(name, { signal: AbortSignal.abort() }), { name: 'AbortError' })
  })
})
