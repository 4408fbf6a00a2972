import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { VerifyError } from '../../src/errors.ts'
import type { VerifyProgressEvents } from '../../src/events.ts'
import { verify } from '../../src/gateway/verify.ts'
import { startTrustlessGateway, type TrustlessGateway } from '../helpers/trustless-gateway.ts'
import { cborFixture, type Fixture, hamtFixture, isHamtShard, siteFixture, v0Fixture } from './verify-fixtures.ts'

const fast = { timeoutMs: 2000, retry: { minDelayMs: 1, maxDelayMs: 5 } }

describe('verify', () => {
  let site: Fixture
  let good: TrustlessGateway
  let bad: TrustlessGateway
  before(async () => {
    site = await siteFixture()
    good = await startTrustlessGateway(site.store)
    bad = await startTrustlessGateway(site.store, { missing: [site.root] })
  })
  after(async () => {
    await good.close()
    await bad.close()
  })

  it('passes a multi-file site with a file over one chunk, with the exact block count and byte total', async () => {
    const result = await verify(site.root, { gateways: [good.url], ...fast })
    assert.equal(result.ok, true)
    assert.equal(result.cid, site.root.toString())
    const [g] = result.gateways
    assert.deepEqual(
      { ok: g?.ok, method: g?.method, blocks: g?.blocks, bytes: g?.bytes, missing: g?.missing, bad: g?.bad, extra: g?.extra, error: g?.error },
      { ok: true, method: 'car', blocks: site.blocks, bytes: site.bytes, missing: [], bad: [], extra: 0, error: undefined },
    )
    assert.ok(site.blocks >= 9, `the fixture has a chunked file and nested folders (${site.blocks} blocks)`)
    // One CAR request and nothing else: no raw top-up was needed.
    assert.deepEqual(good.requests.map((r) => r.format), ['car'])
  })

  it('passes a HAMT-sharded directory, walking every shard', async () => {
    const hamt = await hamtFixture()
    const gateway = await startTrustlessGateway(hamt.store)
    try {
      // The entries sit in the folder the importer wrapped around them: the root.
      assert.equal(await isHamtShard(hamt.store, hamt.root), true)
      const result = await verify(hamt.root, { gateways: [gateway.url], ...fast })
      assert.equal(result.gateways[0]?.ok, true, result.gateways[0]?.error)
      assert.equal(result.gateways[0]?.blocks, hamt.blocks)
      assert.equal(result.gateways[0]?.bytes, hamt.bytes)
      assert.ok(hamt.blocks > 300, 'every entry plus the shards')
    } finally {
      await gateway.close()
    }
  })

  it('passes a CIDv0 DAG with dag-pb leaves', async () => {
    const v0 = await v0Fixture()
    assert.equal(v0.root.version, 0)
    const gateway = await startTrustlessGateway(v0.store)
    try {
      const result = await verify(v0.root.toString(), { gateways: [gateway.url], ...fast })
      assert.equal(result.cid, v0.root.toString())
      assert.deepEqual([result.gateways[0]?.ok, result.gateways[0]?.blocks, result.gateways[0]?.bytes], [true, v0.blocks, v0.bytes])
    } finally {
      await gateway.close()
    }
  })

  it('follows dag-cbor links and takes identity CIDs as present without fetching them', async () => {
    const cbor = await cborFixture()
    const gateway = await startTrustlessGateway(cbor.store)
    try {
      const result = await verify(cbor.root, { gateways: [gateway.url], ...fast })
      assert.deepEqual([result.gateways[0]?.ok, result.gateways[0]?.blocks, result.gateways[0]?.bytes], [true, cbor.blocks, cbor.bytes])
    } finally {
      await gateway.close()
    }
  })

  it('checks several gateways at once and reports each on its own', async () => {
    const result = await verify(site.root, { gateways: [good.url, `${bad.url}/`], ...fast })
    assert.equal(result.ok, false)
    assert.deepEqual(
      result.gateways.map((g) => [g.url, g.ok]),
      [
        [good.url, true],
        [bad.url, false],
      ],
    )
    const failed = result.gateways[1]!
    assert.deepEqual(failed.missing, [site.root.toString()])
    assert.equal(failed.method, 'raw')
    assert.match(failed.error ?? '', /1 block \(\S+\) missing: HTTP 404/)
    assert.match(failed.error ?? '', /raw blocks were tried because the CAR request answered HTTP 404/)
  })

  it('emits start, progress and done for each gateway, and fallback when it walks raw blocks', async () => {
    const events: VerifyProgressEvents[] = []
    await verify(site.root, { gateways: [good.url, bad.url], ...fast, onProgress: (e) => events.push(e) })
    for (const url of [good.url, bad.url]) {
      const types = events.filter((e) => e.detail.gateway === url).map((e) => e.type)
      assert.equal(types[0], 'verify:start')
      assert.equal(types.at(-1), 'verify:done')
    }
    const progress = events.filter((e) => e.type === 'verify:progress' && e.detail.gateway === good.url)
    assert.equal(progress.length, site.blocks)
    assert.deepEqual(progress.at(-1)?.detail, { gateway: good.url, method: 'car', blocks: site.blocks, bytes: site.bytes })
    assert.ok(events.some((e) => e.type === 'verify:fallback' && e.detail.gateway === bad.url))
    const done = events.find((e) => e.type === 'verify:done' && e.detail.gateway === good.url)
    assert.equal(done?.type === 'verify:done' && done.detail.ok, true)
  })

  it('throws VerifyError naming a malformed CID or gateway URL', async () => {
    await assert.rejects(verify('not-a-cid', { gateways: [good.url] }), (err: unknown) => {
      assert.ok(err instanceof VerifyError)
      assert.match(err.message, /'not-a-cid' is not a CID/)
      return true
    })
    await assert.rejects(verify(site.root, { gateways: ['gateway.example'] }), /gateway 'gateway.example' is not a URL/)
    await assert.rejects(verify(site.root, { gateways: ['ftp://gateway.example'] }), /must be an http:\/\/ or https:\/\/ URL/)
    await assert.rejects(verify(site.root, { gateways: [`${good.url}/ipfs/${site.root}`] }), /without \/ipfs\//)
    await assert.rejects(verify(site.root, { gateways: [] }), /give at least one gateway/)
    await assert.rejects(verify(site.root, { gateways: [good.url], timeoutMs: 0 }), /timeoutMs must be a positive integer, got 0/)
  })

  it('accepts /ipfs/<cid> and ipfs://<cid> as the CID', async () => {
    for (const text of [`/ipfs/${site.root}/`, `ipfs://${site.root}`]) {
      const result = await verify(text, { gateways: [good.url], ...fast })
      assert.equal(result.cid, site.root.toString())
    }
  })

  it('throws AbortError when the signal fires, leaving no request behind', async () => {
    const stalled = await startTrustlessGateway(site.store, { stall: 'all' })
    try {
      const controller = new AbortController()
      const running = verify(site.root, {
        gateways: [stalled.url],
        timeoutMs: 60_000,
        signal: controller.signal,
        // Once the request is on its way, so the abort reaches a fetch in flight.
        onProgress: (e) => e.type === 'verify:start' && setImmediate(() => controller.abort()),
      })
      await assert.rejects(running, { name: 'AbortError', code: 'ERR_ABORTED' })
    } finally {
      await stalled.close()
    }
  })

  it('throws AbortError when the signal fires while a CAR is streaming', async () => {
    const stalled = await startTrustlessGateway(site.store, { carStopAfter: { blocks: 2, mode: 'stall' } })
    try {
      const controller = new AbortController()
      const running = verify(site.root, {
        gateways: [stalled.url],
        timeoutMs: 60_000,
        signal: controller.signal,
        onProgress: (e) => e.type === 'verify:progress' && controller.abort(),
      })
      await assert.rejects(running, { name: 'AbortError' })
    } finally {
      await stalled.close()
    }
  })
})
