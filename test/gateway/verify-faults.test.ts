import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { VerifyProgressEvents } from '../../src/events.ts'
import { type GatewayVerifyResult, verify } from '../../src/gateway/verify.ts'
import { type GatewayFaults, startTrustlessGateway } from '../helpers/trustless-gateway.ts'
import { dagCids, type Fixture, siteFixture, unknownHashFixture } from './verify-fixtures.ts'

const fast = { timeoutMs: 2000, retry: { minDelayMs: 1, maxDelayMs: 5 } }

describe('verify (against a misbehaving gateway)', () => {
  let site: Fixture
  /** Every block of the site in DFS order, as the gateway sends them. */
  let cids: CID[]
  /** A raw leaf of the big file: deep in the DAG, not the last block. */
  let leaf: CID
  before(async () => {
    site = await siteFixture()
    cids = await dagCids(site)
    leaf = cids.find((c) => c.code === 0x55 && cids.indexOf(c) < cids.length - 2)!
  })

  async function check(
    faults: GatewayFaults,
    options: { timeoutMs?: number; retries?: number; onProgress?: (e: VerifyProgressEvents) => void; root?: CID; store?: Fixture['store'] } = {},
  ): Promise<GatewayVerifyResult & { requests: Array<string | undefined> }> {
    const gateway = await startTrustlessGateway(options.store ?? site.store, faults)
    try {
      const result = await verify(options.root ?? site.root, {
        gateways: [gateway.url],
        timeoutMs: options.timeoutMs ?? fast.timeoutMs,
        retry: { ...fast.retry, retries: options.retries ?? 3 },
        onProgress: options.onProgress,
      })
      assert.equal(result.ok, result.gateways[0]!.ok)
      return { ...result.gateways[0]!, requests: gateway.requests.map((r) => r.format) }
    } finally {
      await gateway.close()
    }
  }

  it('fails a tampered block as bad, naming its CID', async () => {
    const g = await check({ tamper: [leaf] })
    assert.equal(g.ok, false)
    assert.deepEqual(g.bad, [leaf.toString()])
    assert.deepEqual(g.missing, [])
    assert.equal(g.blocks, site.blocks - 1)
    assert.match(g.error ?? '', new RegExp(`1 block \\(${leaf}\\) does not hash to its CID`))
  })

  it('fails a tampered block fetched raw, after the CAR was refused', async () => {
    const g = await check({ tamper: [leaf], carUnsupported: true })
    assert.deepEqual([g.ok, g.method, g.bad], [false, 'raw', [leaf.toString()]])
    assert.match(g.error ?? '', /does not hash to its CID/)
  })

  it('fails a CAR cut in the middle of a block, even when the block is then fetched raw', async () => {
    const g = await check({ truncateCar: true })
    assert.equal(g.ok, false)
    assert.match(g.error ?? '', /the CAR is truncated: it ends in the middle of a block \(after \d+ bytes\)/)
    assert.deepEqual(g.carMissing, [cids.at(-1)!.toString()])
    // The final state is whole: only the broken CAR fails the gateway.
    assert.deepEqual([g.missing, g.blocks, g.bytes], [[], site.blocks, site.bytes])
  })

  it('fails a CAR whose header names another root', async () => {
    const g = await check({ wrongRoot: leaf })
    assert.equal(g.ok, false)
    assert.equal(g.error, `the CAR header names root ${leaf}, expected ${site.root}`)
    assert.equal(g.blocks, site.blocks)
  })

  it('fails a gateway missing a block, naming it, after asking for the rest raw', async () => {
    const g = await check({ missing: [leaf] })
    assert.equal(g.ok, false)
    assert.deepEqual(g.missing, [leaf.toString()])
    assert.ok(g.carMissing?.includes(leaf.toString()), 'the CAR stopped at the missing block')
    assert.equal(g.blocks, site.blocks - 1)
    assert.match(g.error ?? '', new RegExp(`1 block \\(${leaf}\\) missing: HTTP 404`))
  })

  it('passes a CAR that ended early when raw blocks complete it, and reports what the CAR lacked', async () => {
    const g = await check({ carStopAfter: { blocks: 3, mode: 'end' } })
    assert.equal(g.ok, true, g.error)
    assert.deepEqual([g.method, g.blocks, g.bytes, g.missing], ['car', site.blocks, site.bytes, []])
    assert.ok((g.carMissing?.length ?? 0) > 0)
    assert.equal(g.requests.filter((f) => f === 'raw').length, site.blocks - 3)
  })

  it('falls back to raw blocks when the CAR is not acceptable (406), and passes', async () => {
    const events: VerifyProgressEvents[] = []
    const g = await check({ carUnsupported: true }, { onProgress: (e) => events.push(e) })
    assert.deepEqual([g.ok, g.method, g.blocks, g.bytes, g.carMissing], [true, 'raw', site.blocks, site.bytes, undefined])
    assert.deepEqual(g.requests, ['car', ...Array(site.blocks).fill('raw')])
    const fallback = events.find((e) => e.type === 'verify:fallback')
    assert.equal(fallback?.detail.reason, 'CAR request answered HTTP 406 Not Acceptable')
  })

  it('retries 500s and passes', async () => {
    const retries: VerifyProgressEvents[] = []
    const g = await check({ failNext: { count: 2, status: 500 } }, { onProgress: (e) => e.type === 'verify:retry' && retries.push(e) })
    assert.equal(g.ok, true, g.error)
    assert.deepEqual(
      retries.map((e) => e.type === 'verify:retry' && [e.detail.attempt, e.detail.reason]),
      [
        [2, 'HTTP 500 Internal Server Error'],
        [3, 'HTTP 500 Internal Server Error'],
      ],
    )
  })

  it('honours Retry-After on a 429 before retrying', async () => {
    const started = performance.now()
    const g = await check({ failNext: { count: 1, status: 429, retryAfter: '1' } })
    assert.equal(g.ok, true, g.error)
    assert.ok(performance.now() - started >= 950, 'waited the second the gateway asked for')
  })

  it('gives up after the bounded retries and reports the status', async () => {
    const g = await check({ failNext: { count: 100, status: 503 } }, { retries: 1 })
    assert.equal(g.ok, false)
    assert.match(g.error ?? '', /missing: HTTP 503/)
    assert.match(g.error ?? '', /the CAR request answered HTTP 503/)
    // Two attempts for the CAR, two for the root block, and nothing more.
    assert.equal(g.requests.length, 4)
  })

  it('times out a gateway that never answers, and says so', async () => {
    const g = await check({ stall: 'all' }, { timeoutMs: 150, retries: 1 })
    assert.equal(g.ok, false)
    assert.deepEqual(g.missing, [site.root.toString()])
    assert.match(g.error ?? '', /missing: no response within 150 ms/)
    assert.match(g.error ?? '', /the CAR request failed: no response within 150 ms/)
  })

  it('fails a CAR stream that goes silent midway', async () => {
    const g = await check({ carStopAfter: { blocks: 2, mode: 'stall' } }, { timeoutMs: 150 })
    assert.equal(g.ok, false)
    assert.match(g.error ?? '', /the CAR stream stalled after \d+ bytes: no data for 150 ms/)
  })

  it('reports a gateway it cannot connect to', async () => {
    const gateway = await startTrustlessGateway(site.store)
    await gateway.close()
    const result = await verify(site.root, { gateways: [gateway.url], ...fast, retry: { ...fast.retry, retries: 0 } })
    assert.match(result.gateways[0]?.error ?? '', /CAR request failed: fetch failed: connect ECONNREFUSED/)
  })

  it('ignores blocks unrelated to the DAG but counts them', async () => {
    const other = (await unknownHashFixture()).fixture
    const parts: Uint8Array[] = []
    for await (const part of other.store.get(other.root)) parts.push(part)
    const bytes = Buffer.concat(parts)
    const g = await check({ extra: [{ cid: other.root, bytes }] })
    assert.deepEqual([g.ok, g.blocks, g.bytes, g.extra], [true, site.blocks, site.bytes, 1])
  })

  it('reports a block whose hash function it cannot check, instead of skipping it', async () => {
    const { fixture, unknown } = await unknownHashFixture()
    const g = await check({}, { root: fixture.root, store: fixture.store })
    assert.equal(g.ok, false)
    assert.deepEqual([g.unverifiable, g.bad], [[unknown.toString()], []])
    assert.match(g.error ?? '', /hash function 0xb220 is not supported/)
  })

  it('falls back to raw blocks when the gateway answers a CAR request with something else', async () => {
    const gateway = await startTrustlessGateway(site.store)
    try {
      // A gateway that ignores ?format=car and renders the directory as HTML.
      const fetchFn: typeof fetch = async (input, init) =>
        String(input).includes('format=car') ? new Response('<html>index</html>', { headers: { 'content-type': 'text/html' } }) : fetch(input, init)
      const result = await verify(site.root, { gateways: [gateway.url], ...fast, fetch: fetchFn })
      assert.deepEqual([result.ok, result.gateways[0]?.method, result.gateways[0]?.blocks], [true, 'raw', site.blocks])
    } finally {
      await gateway.close()
    }
  })
})
