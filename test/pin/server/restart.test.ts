import assert from 'node:assert/strict'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import { PIN_SERVER_DIR } from '../../../src/constants.ts'
import { type EmbeddedNode, openNode } from '../../../src/node/index.ts'
import type { PinStatusBody } from '../../../src/pin/server/index.ts'
import { importSite, memoryNode } from '../../node/node-fixtures.ts'
import { type Harness, nodePinned, startServer, tempDir, text, waitForStatus } from './helpers.ts'

describe('createPinServer: restart from the same store', () => {
  let store: string
  /** Publishes x; its address is the origin of every pin. */
  let a: EmbeddedNode
  /** Holds y and z, and connects to the server only after the restart. */
  let c: EmbeddedNode
  let x: CID
  let y: CID
  let z: CID
  const servers: Harness[] = []

  async function serve(): Promise<Harness> {
    const node = await openNode(store)
    const h = await startServer({ maxConcurrentFetches: 1, fetchTimeoutMs: 120_000 }, { node, dir: join(store, PIN_SERVER_DIR) })
    servers.push(h)
    return h
  }

  async function shutdown(h: Harness): Promise<void> {
    await h.stop()
    await h.node.stop()
  }

  before(async () => {
    store = await tempDir('pin-server-restart')
    a = await memoryNode()
    c = await memoryNode()
    x = (await importSite(a.helia, new Map([['index.html', text('x')]]))).root
    y = (await importSite(c.helia, new Map([['index.html', text('y')]]))).root
    z = (await importSite(c.helia, new Map([['index.html', text('z')]]))).root
  })

  after(async () => {
    for (const h of servers) await shutdown(h).catch(() => {})
    await a?.stop()
    await c?.stop()
    await rm(store, { recursive: true, force: true })
  })

  it('keeps pinned requests and resumes the queued and pinning ones', async () => {
    const origins = a.addresses().map(String)
    const first = await serve()
    const post = async (h: Harness, cid: CID, name: string) => (await h.api<PinStatusBody>('POST', '/pins', { body: { cid: cid.toString(), name, origins } })).body
    const px = await post(first, x, 'x')
    await waitForStatus(first, px.requestid, ['pinned'])
    // Nobody the server can reach has y or z yet: y waits `pinning`, z `queued` behind it.
    const py = await post(first, y, 'y')
    await waitForStatus(first, py.requestid, ['pinning'])
    const pz = await post(first, z, 'z')
    assert.equal((await waitForStatus(first, pz.requestid, ['queued'])).status, 'queued')
    await shutdown(first)
    assert.deepEqual((await readdir(join(store, PIN_SERVER_DIR))).toSorted(), [px, py, pz].map((p) => `${p.requestid}.json`).toSorted())

    const second = await serve()
    assert.deepEqual(
      second.events.filter((e) => e.type === 'pin-server:resumed').map((e) => e.detail),
      [{ pins: 2 }],
    )
    const kept = await second.api<PinStatusBody>('GET', `/pins/${px.requestid}`)
    assert.equal(kept.body.status, 'pinned')
    assert.equal(kept.body.created, px.created)
    assert.ok(await nodePinned(second.node, x))
    assert.equal(second.address.peerId, first.address.peerId, 'the store keeps the node’s identity')

    // The publisher of y and z connects to the server's delegates, as a client does.
    const [delegate] = second.address.addresses
    assert.ok(delegate !== undefined)
    await c.dial(delegate)
    for (const p of [py, pz]) {
      const done = await waitForStatus(second, p.requestid, ['pinned', 'failed'])
      assert.equal(done.status, 'pinned', JSON.stringify(done.info))
    }
    assert.ok(await nodePinned(second.node, y))
    assert.ok(await nodePinned(second.node, z))
    const list = await second.api<{ count: number; results: PinStatusBody[] }>('GET', '/pins')
    assert.deepEqual(
      list.body.results.map((r) => r.pin.name),
      ['z', 'y', 'x'],
    )
  })
})
