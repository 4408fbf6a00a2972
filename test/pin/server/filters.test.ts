import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { PinStatusBody } from '../../../src/pin/server/index.ts'
import { brokenBlock, type Harness, localSite, missingCid, OTHER_TOKEN, startServer, waitForStatus } from './helpers.ts'

interface PinResults {
  count: number
  results: PinStatusBody[]
}

const ALL = 'status=queued,pinning,pinned,failed'

describe('GET /pins: filters, count and order', () => {
  let h: Harness
  let c1: CID
  let c2: CID
  let c3: CID
  /** The requests by label, as created (oldest first: p1 ... p7). */
  const p: Record<string, PinStatusBody> = {}

  async function add(label: string, body: Record<string, unknown>, until: string[], token?: string): Promise<PinStatusBody> {
    const reply = await h.api<PinStatusBody>('POST', '/pins', { body, ...(token === undefined ? {} : { token }) })
    assert.equal(reply.status, 202, JSON.stringify(reply.body))
    const status = await waitForStatus(h, reply.body.requestid, until, token)
    p[label] = status
    return status
  }

  /** The labels of the listed requests, in the order listed. */
  async function list(query: string): Promise<{ count: number; labels: string[] }> {
    const reply = await h.api<PinResults>('GET', `/pins${query === '' ? '' : `?${query}`}`)
    assert.equal(reply.status, 200, JSON.stringify(reply.body))
    const byId = new Map(Object.entries(p).map(([label, s]) => [s.requestid, label]))
    return { count: reply.body.count, labels: reply.body.results.map((r) => byId.get(r.requestid) ?? `unknown ${r.requestid}`) }
  }

  before(async () => {
    // One fetch at a time and a long timeout: a pin of missing content stays `pinning` and the next `queued`.
    h = await startServer({ maxConcurrentFetches: 1, fetchTimeoutMs: 120_000 })
    c1 = await localSite(h.node, 'one')
    c2 = await localSite(h.node, 'two')
    c3 = await localSite(h.node, 'three')
    await add('p1', { cid: c1.toString(), name: 'Blog-Production', meta: { site: 'blog', kind: 'production' } }, ['pinned'])
    await add('p2', { cid: c2.toString(), name: 'blog-preview-42', meta: { site: 'blog', kind: 'preview', preview: '42' } }, ['pinned'])
    await add('p3', { cid: c3.toString(), name: 'notes', meta: { site: 'notes', kind: 'production' } }, ['pinned'])
    await add('p4', { cid: c1.toString(), name: 'blog-copy' }, ['pinned'])
    await add('p5', { cid: c3.toString() }, ['pinned'])
    await add('other', { cid: c1.toString(), name: 'Blog-Production', meta: { site: 'blog', kind: 'production' } }, ['pinned'], OTHER_TOKEN)
    await add('p6', { cid: (await brokenBlock(h.node, 'p6')).toString(), name: 'broken' }, ['failed'])
    await add('p7', { cid: (await missingCid('p7')).toString(), name: 'stuck' }, ['pinning'])
    await add('p8', { cid: (await missingCid('p8')).toString(), name: 'waiting' }, ['queued'])
  })

  after(async () => {
    await h?.stop()
  })

  it('lists only pinned requests, newest first, when no status is given', async () => {
    assert.deepEqual(await list(''), { count: 5, labels: ['p5', 'p4', 'p3', 'p2', 'p1'] })
  })

  it('filters by one or several statuses', async () => {
    assert.deepEqual(await list('status=queued,pinning'), { count: 2, labels: ['p8', 'p7'] })
    assert.deepEqual(await list('status=failed'), { count: 1, labels: ['p6'] })
    assert.deepEqual(await list(ALL), { count: 8, labels: ['p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1'] })
  })

  it('reports why a failed pin failed, where a queued one waits, and how far a running one got', async () => {
    const failed = await h.api<PinStatusBody>('GET', `/pins/${p.p6?.requestid}`)
    assert.match(failed.body.info.status_details ?? '', /^cannot pin \S+: a block could not be read or fetched/)
    const queued = await h.api<PinStatusBody>('GET', `/pins/${p.p8?.requestid}`)
    assert.deepEqual(queued.body.info, { status_details: 'queue position: 1 of 1' })
    const pinning = await h.api<PinStatusBody>('GET', `/pins/${p.p7?.requestid}`)
    assert.deepEqual(pinning.body.info, { status_details: 'fetching the DAG: 0 blocks so far' })
  })

  it('filters by one or several CIDs, matching CIDv0 and CIDv1 of the same DAG', async () => {
    assert.deepEqual(await list(`cid=${c1}`), { count: 2, labels: ['p4', 'p1'] })
    assert.deepEqual(await list(`cid=${c1},${c3}`), { count: 4, labels: ['p5', 'p4', 'p3', 'p1'] })
    assert.deepEqual(await list(`cid=${c2.toV0()}`), { count: 1, labels: ['p2'] })
    assert.deepEqual(await list(`cid=${c2}&${ALL}`), { count: 1, labels: ['p2'] })
  })

  it('filters by name with each match mode', async () => {
    assert.deepEqual(await list('name=blog-preview-42'), { count: 1, labels: ['p2'] })
    assert.deepEqual(await list('name=blog-production'), { count: 0, labels: [] })
    assert.deepEqual(await list('name=blog-production&match=exact'), { count: 0, labels: [] })
    assert.deepEqual(await list('name=blog-production&match=iexact'), { count: 1, labels: ['p1'] })
    assert.deepEqual(await list('name=blog&match=partial'), { count: 2, labels: ['p4', 'p2'] })
    assert.deepEqual(await list('name=BLOG&match=ipartial'), { count: 3, labels: ['p4', 'p2', 'p1'] })
    assert.deepEqual(await list(`name=t&match=partial&${ALL}`), { count: 4, labels: ['p8', 'p7', 'p3', 'p1'] })
  })

  it('filters by meta, every given key and value matching exactly', async () => {
    const meta = (m: unknown) => `meta=${encodeURIComponent(JSON.stringify(m))}`
    assert.deepEqual(await list(meta({ site: 'blog' })), { count: 2, labels: ['p2', 'p1'] })
    assert.deepEqual(await list(meta({ site: 'blog', kind: 'production' })), { count: 1, labels: ['p1'] })
    assert.deepEqual(await list(meta({ kind: 'production' })), { count: 2, labels: ['p3', 'p1'] })
    assert.deepEqual(await list(meta({ site: 'Blog' })), { count: 0, labels: [] })
    assert.deepEqual(await list(meta({})), { count: 5, labels: ['p5', 'p4', 'p3', 'p2', 'p1'] })
  })

  it('filters by creation time with before and after, both exclusive', async () => {
    const at = (label: string) => encodeURIComponent(p[label]?.created ?? '')
    assert.deepEqual(await list(`after=${at('p2')}`), { count: 3, labels: ['p5', 'p4', 'p3'] })
    assert.deepEqual(await list(`before=${at('p3')}`), { count: 2, labels: ['p2', 'p1'] })
    assert.deepEqual(await list(`after=${at('p1')}&before=${at('p4')}`), { count: 2, labels: ['p3', 'p2'] })
    // The same instant in another offset is the same instant.
    const p3 = new Date(p.p3?.created ?? '')
    const shifted = new Date(p3.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00')
    assert.deepEqual(await list(`before=${encodeURIComponent(shifted)}`), { count: 2, labels: ['p2', 'p1'] })
  })

  it('returns at most limit results while count says how many match, and pages with before', async () => {
    assert.deepEqual(await list('limit=2'), { count: 5, labels: ['p5', 'p4'] })
    const seen: string[] = []
    let query = 'limit=2'
    for (let page = 0; page < 5; page++) {
      const reply = await h.api<PinResults>('GET', `/pins?${query}`)
      if (reply.body.results.length === 0) break
      seen.push(...reply.body.results.map((r) => r.requestid))
      query = `limit=2&before=${encodeURIComponent(reply.body.results.at(-1)?.created ?? '')}`
    }
    assert.deepEqual(seen, ['p5', 'p4', 'p3', 'p2', 'p1'].map((l) => p[l]?.requestid))
  })

  it('shows one token none of the pins of another', async () => {
    assert.deepEqual(await list(`${ALL}&name=Blog-Production`), { count: 1, labels: ['p1'] })
    const other = await h.api<PinResults>('GET', `/pins?${ALL}`, { token: OTHER_TOKEN })
    assert.deepEqual(
      other.body.results.map((r) => r.requestid),
      [p.other?.requestid],
    )
    for (const method of ['GET', 'DELETE']) {
      const reply = await h.api(method, `/pins/${p.p1?.requestid}`, { token: OTHER_TOKEN })
      assert.equal(reply.status, 404, method)
    }
    const replace = await h.api('POST', `/pins/${p.p1?.requestid}`, { token: OTHER_TOKEN, body: { cid: c2.toString() } })
    assert.equal(replace.status, 404)
    assert.equal((await h.api('GET', `/pins/${p.p1?.requestid}`)).status, 200)
  })
})
