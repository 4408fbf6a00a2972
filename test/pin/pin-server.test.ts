/**
 * Our client against our own Pinning Service API endpoint, `ipfs-publish pin-server`, run
 * as a separate process with its own node: every pinned DAG really travels over loopback
 * libp2p/Bitswap from the publishing node given as `origins`.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { EmbeddedNode } from '../../src/node/index.ts'
import { createPinningServicePinner, type Pinner, type PinRequest, prune } from '../../src/pin/index.ts'
import { PinningServiceClient } from '../../src/pin/pinning-service-client.ts'
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.ts'
import { importSite, memoryNode } from '../node/node-fixtures.ts'
import { assertNoSecret, randomCid, recorder, request, secretToken } from './fixtures.ts'
import { type PinServerProcess, startPinServerProcess } from './pin-server-process.ts'

const token = secretToken()
let server: PinServerProcess
let node: EmbeddedNode
/** Shared by every version, so a replace has blocks in common to keep. */
const asset = new Uint8Array(randomBytes(1.5 * 1024 * 1024))

before(async () => {
  ;[server, node] = await Promise.all([startPinServerProcess({ token, fetchTimeout: '3s' }), memoryNode()])
})

after(async () => {
  await node.stop()
  await server.stop()
})

function pinner(endpoint = server.url): Pinner {
  return createPinningServicePinner(
    { dial: (address, options) => node.dial(address, options) },
    { name: 'ours', endpoint, token, tokenEnv: 'OURS_TOKEN', timeoutMs: 20_000, pollMinMs: 50, pollMaxMs: 200, retry: { minDelayMs: 20 } },
  )
}

function client(): PinningServiceClient {
  return new PinningServiceClient({ target: 'ours', endpoint: server.url, token, tokenEnv: 'OURS_TOKEN' })
}

/** A new version of a site in the publishing node: its own page, the shared asset. */
async function version(label: string): Promise<CID> {
  const files = new Map([
    ['index.html', new TextEncoder().encode(`<!doctype html><title>${label}</title>`)],
    ['assets/big.bin', asset],
  ])
  return (await importSite(node.helia, files)).root
}

function from(req: PinRequest): PinRequest {
  return { ...req, origins: node.addresses().map(String) }
}

describe('pinning-service pinner against ipfs-publish pin-server', () => {
  it('pins a site the server fetches from the publishing node, following queued to pinned', async () => {
    const cid = await version('one')
    const { events, onProgress } = recorder()
    const result = await pinner().pin(from(request(cid, 'lifecycle', { commit: 'abc' })), { onProgress })
    assert.equal(result.status, 'pinned', result.error)
    const statuses = events.filter((e) => e.type === 'pin:status').map((e) => e.detail.status)
    assert.equal(statuses[0], 'queued')
    assert.equal(statuses.at(-1), 'pinned')
    const dialled = events.filter((e) => e.type === 'pin:delegate')
    assert.ok(dialled.every((e) => e.detail.ok), JSON.stringify(dialled))
    const stored = await client().get(result.requestid!)
    assert.deepEqual(stored?.pin.meta, { site: 'lifecycle', kind: 'production', commit: 'abc' })
    assertNoSecret(token, events, result, server.stderr())
  })

  it('finds the existing pin when the same deploy runs again', async () => {
    const cid = await version('rerun')
    const first = await pinner().pin(from(request(cid, 'rerun')))
    const again = await pinner().pin(from(request(cid, 'rerun')))
    assert.deepEqual([again.status, again.existing, again.requestid], ['pinned', true, first.requestid])
    assert.equal((await client().list({ name: 'rerun', status: ['queued', 'pinning', 'pinned', 'failed'] })).length, 1)
  })

  it('replaces the production pin that is no longer live, keeps the live one, and keeps previews apart', async () => {
    const [v1, v2, v3, pr] = [await version('v1'), await version('v2'), await version('v3'), await version('preview')]
    const p1 = await pinner().pin(from(request(v1, 'replace')))
    const p2 = await pinner().pin(from(request(v2, 'replace', { live: [v1.toString()] })))
    assert.deepEqual([p2.status, p2.replaced], ['pinned', undefined])
    const preview = await pinner().pin(from(request(pr, 'replace', { preview: 'pr-9' })))
    const p3 = await pinner().pin(from(request(v3, 'replace', { live: [v2.toString()] })))
    assert.deepEqual([p3.status, p3.replaced], ['pinned', p1.requestid])
    assert.equal(await client().get(p1.requestid!), undefined)
    assert.equal((await client().get(p2.requestid!))?.status, 'pinned')
    assert.equal((await client().get(preview.requestid!))?.pin.name, 'replace@pr-9')
    assert.deepEqual((await pinner().list({ site: 'replace', kind: 'preview' })).map((p) => p.requestid), [preview.requestid])
  })

  it('lists with the cid, name and match, status, meta, before and after filters, across pages', async () => {
    const [a, b] = [await version('filter-a'), await version('filter-b')]
    const pa = await pinner().pin(from(request(a, 'Filter-Site')))
    const pb = await pinner().pin(from(request(b, 'Filter-Site', { preview: 'x' })))
    const all = ['queued', 'pinning', 'pinned', 'failed'] as const
    const ids = (list: Array<{ requestid: string }>) => list.map((p) => p.requestid).sort()
    assert.deepEqual(ids(await client().list({ cid: [a.toString(), b.toString()], status: all })), ids([pa, pb] as Array<{ requestid: string }>))
    assert.deepEqual(ids(await client().list({ name: 'filter-site', match: 'iexact', status: all })), [pa.requestid])
    assert.deepEqual(ids(await client().list({ name: 'Filter-Site@', match: 'partial', status: all })), [pb.requestid])
    assert.deepEqual(ids(await client().list({ meta: { site: 'Filter-Site', kind: 'preview' }, status: ['pinned'] })), [pb.requestid])
    const created = (await client().get(pb.requestid!))!.created
    assert.deepEqual(ids(await client().list({ name: 'Filter-Site', match: 'partial', before: created, status: all })), [pa.requestid])
    assert.deepEqual(ids(await client().list({ name: 'Filter-Site', match: 'partial', after: created, status: all })), [])
    // One per page: the client follows `before` to the end.
    assert.equal((await client().list({ name: 'Filter-Site', match: 'partial', limit: 1, status: all })).length, 2)
  })

  it('reports the server’s reason when it cannot fetch the DAG', async () => {
    const result = await pinner().pin(from(request(await randomCid(), 'unfetchable')))
    assert.equal(result.status, 'failed')
    assert.equal(result.code, 'ERR_PIN_FAILED')
    assert.match(result.error ?? '', /the service could not pin \S+: .+/)
  })

  it('prunes old production pins at the server, never the current one', async () => {
    const versions = [await version('prune-1'), await version('prune-2'), await version('prune-3')]
    for (const v of versions) await pinner().pin(from(request(v, 'pruned', { live: [] })))
    // With nothing live each pin replaced the one before: only the newest is left.
    assert.deepEqual((await pinner().list({ site: 'pruned' })).map((p) => p.cid), [versions[2]!.toString()])
    const extra = await version('prune-4')
    await pinner().pin(from(request(extra, 'pruned', { live: [versions[2]!.toString()] })))
    const result = await prune([pinner()], { site: 'pruned', keep: 1, current: [versions[2]!.toString()] })
    assert.deepEqual(result.targets[0]?.removed, [])
    const pruned = await prune([pinner()], { site: 'pruned', keep: 1, current: [extra.toString()] })
    assert.deepEqual(pruned.targets[0]?.removed.map((p) => p.cid), [versions[2]!.toString()])
    assert.deepEqual((await pinner().list({ site: 'pruned' })).map((p) => p.cid), [extra.toString()])
  })

  describe('through a faulty network', () => {
    let proxy: FaultProxy

    before(async () => {
      proxy = await startFaultProxy(server.url)
    })

    after(() => proxy.close())

    it('keeps polling through dropped and failed status checks, and pins once', async () => {
      proxy.inject({ method: 'GET', path: /^\/pins\/[^?]+$/, times: 1, action: { kind: 'drop', forward: true } })
      proxy.inject({ method: 'GET', path: /^\/pins\/[^?]+$/, times: 1, action: { kind: 'status', status: 502, forward: false } })
      proxy.inject({ method: 'GET', path: /^\/pins\/[^?]+$/, times: 1, action: { kind: 'cut' } })
      const { events, onProgress } = recorder()
      const result = await pinner(proxy.url).pin(from(request(await version('faulty'), 'faulty')), { onProgress })
      assert.equal(result.status, 'pinned', result.error)
      assert.equal(proxy.backend.filter((r) => r.method === 'POST').length, 1)
      assert.ok(events.filter((e) => e.type === 'pin:retry').length >= 3)
      assertNoSecret(token, events, result)
    })

    it('keeps waiting while the service is unavailable for longer than one request’s retries', async () => {
      proxy.inject({ method: 'GET', path: /^\/pins\/[^?]+$/, times: 9, action: { kind: 'status', status: 503, forward: false } })
      const result = await pinner(proxy.url).pin(from(request(await version('outage'), 'outage')))
      assert.equal(result.status, 'pinned', result.error)
      assert.equal(proxy.received.filter((r) => r.method === 'GET' && /^\/pins\/[^?]+$/.test(r.path)).length >= 10, true)
    })
  })
})
