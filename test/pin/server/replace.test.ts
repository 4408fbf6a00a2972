import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { EmbeddedNode } from '../../../src/node/index.ts'
import type { PinStatusBody } from '../../../src/pin/server/index.ts'
import { blockKey, importSite, memoryNode, siteFiles, storedBlocks } from '../../node/node-fixtures.ts'
import { brokenBlock, eventually, type Harness, missingCid, nodePinned, startServer, text, waitForStatus } from './helpers.ts'

describe('POST /pins/{requestid}: replace', () => {
  let a: EmbeddedNode
  let h: Harness
  let v1: CID
  let v2: CID
  let origins: string[]

  async function add(body: Record<string, unknown>, path = '/pins'): Promise<PinStatusBody> {
    const reply = await h.api<PinStatusBody>('POST', path, { body })
    assert.equal(reply.status, 202, JSON.stringify(reply.body))
    assert.equal(reply.body.status, 'queued')
    return reply.body
  }

  before(async () => {
    a = await memoryNode()
    // Two versions of a site that share its large asset: the blocks a replace must never drop.
    const files = siteFiles()
    v1 = (await importSite(a.helia, files)).root
    files.set('index.html', text('<!doctype html><title>home, version 2</title>'))
    v2 = (await importSite(a.helia, files)).root
    origins = a.addresses().map(String)
    // One fetch at a time: a pin of missing content holds the slot, so a replacement waits queued.
    h = await startServer({ maxConcurrentFetches: 1, fetchTimeoutMs: 120_000 })
  })

  after(async () => {
    await h?.stop()
    await a?.stop()
  })

  it('keeps the old pin until the new one is pinned, then removes it and its node pin', async () => {
    const old = await add({ cid: v1.toString(), name: 'blog', origins, meta: { site: 'blog', kind: 'production' } })
    await waitForStatus(h, old.requestid, ['pinned'])
    const blocker = await add({ cid: (await missingCid('blocker')).toString(), name: 'blocker' })
    await waitForStatus(h, blocker.requestid, ['pinning'])

    const next = await add({ cid: v2.toString(), name: 'blog', origins, meta: { site: 'blog', kind: 'production' } }, `/pins/${old.requestid}`)
    assert.notEqual(next.requestid, old.requestid)
    assert.equal(next.pin.cid, v2.toString())
    // While the new pin waits, the old one is still there, pinned, on the node too.
    assert.equal((await waitForStatus(h, next.requestid, ['queued'])).status, 'queued')
    assert.equal((await h.api<PinStatusBody>('GET', `/pins/${old.requestid}`)).body.status, 'pinned')
    assert.ok(await nodePinned(h.node, v1))

    assert.equal((await h.api('DELETE', `/pins/${blocker.requestid}`)).status, 202)
    await waitForStatus(h, next.requestid, ['pinned'])
    await eventually(async () => (await h.api('GET', `/pins/${old.requestid}`)).status === 404, 'the replaced pin to go')
    await eventually(async () => !(await nodePinned(h.node, v1)), 'the node to unpin the old version')
    assert.ok(await nodePinned(h.node, v2))

    // The old pin went only after the new one was pinned.
    const order = h.events
      .filter((e) => (e.type === 'pin-server:status' && e.detail.requestid === next.requestid) || (e.type === 'pin-server:removed' && e.detail.requestid === old.requestid))
      .map((e) => (e.type === 'pin-server:status' ? e.detail.status : e.type === 'pin-server:removed' ? `removed: ${e.detail.reason}` : e.type))
    assert.deepEqual(order, ['queued', 'pinning', 'pinned', 'removed: replaced'])

    const received = await storedBlocks(h.node)
    for (const key of (await storedBlocks(a)).keys()) assert.ok(received.has(key), `block ${key} is missing`)
    assert.ok(received.has(blockKey(v2)))
    const list = await h.api<{ count: number; results: PinStatusBody[] }>('GET', '/pins')
    assert.deepEqual(
      list.body.results.map((r) => r.requestid),
      [next.requestid],
    )
  })

  it('keeps the old pin when the new one fails', async () => {
    const old = await add({ cid: v1.toString(), name: 'notes' })
    await waitForStatus(h, old.requestid, ['pinned'])
    const broken = await brokenBlock(h.node, 'replacement')
    const next = await add({ cid: broken.toString(), name: 'notes' }, `/pins/${old.requestid}`)
    const failed = await waitForStatus(h, next.requestid, ['failed'])
    assert.match(failed.info.status_details ?? '', /^cannot pin /)
    assert.equal((await h.api<PinStatusBody>('GET', `/pins/${old.requestid}`)).body.status, 'pinned')
    assert.ok(await nodePinned(h.node, v1))
    assert.ok(!h.events.some((e) => e.type === 'pin-server:removed' && e.detail.requestid === old.requestid))
  })

  it('keeps the node pin when the replacement pins the same CID', async () => {
    const old = await add({ cid: v2.toString(), name: 'same', meta: { commit: 'aaaa111' } })
    await waitForStatus(h, old.requestid, ['pinned'])
    const before = await h.api<{ results: PinStatusBody[] }>('GET', `/pins?cid=${v2}`)
    for (const r of before.body.results.filter((r) => r.requestid !== old.requestid)) await h.api('DELETE', `/pins/${r.requestid}`)
    const next = await add({ cid: v2.toString(), name: 'same', meta: { commit: 'bbbb222' } }, `/pins/${old.requestid}`)
    await waitForStatus(h, next.requestid, ['pinned'])
    await eventually(async () => (await h.api('GET', `/pins/${old.requestid}`)).status === 404, 'the replaced pin to go')
    const list = await h.api<{ results: PinStatusBody[] }>('GET', `/pins?cid=${v2}`)
    assert.deepEqual(
      list.body.results.map((r) => [r.requestid, r.pin.meta]),
      [[next.requestid, { commit: 'bbbb222' }]],
    )
    // Background releases (the deletes above, the replace) have all run by now; the DAG is still pinned.
    await h.server.stop()
    assert.ok(await nodePinned(h.node, v2))
  })
})
