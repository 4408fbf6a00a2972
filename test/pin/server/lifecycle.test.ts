import assert from 'node:assert/strict'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { CID } from 'multiformats/cid'
import type { EmbeddedNode } from '../../../src/node/index.ts'
import type { PinStatusBody } from '../../../src/pin/server/index.ts'
import { importSite, memoryNode, siteFiles, storedBlocks } from '../../node/node-fixtures.ts'
import { type Harness, missingCid, nodePinned, startServer, waitForStatus } from './helpers.ts'

describe('createPinServer: the pin lifecycle', () => {
  /** The publisher: holds the site and serves it over Bitswap. */
  let a: EmbeddedNode
  let site: { root: CID }
  let h: Harness

  before(async () => {
    a = await memoryNode()
    site = await importSite(a.helia, siteFiles())
    await a.pin(site.root, { name: 'blog', offline: true })
    h = await startServer()
  })

  after(async () => {
    await h?.stop()
    await a?.stop()
  })

  it('answers 202 queued at once, then fetches the whole DAG from the origins and reports pinned', async () => {
    const origins = a.addresses().map(String)
    const pin = { cid: site.root.toString(), name: 'blog', origins, meta: { site: 'blog', kind: 'production' } }
    const reply = await h.api<PinStatusBody>('POST', '/pins', { body: pin })
    assert.equal(reply.status, 202)
    assert.equal(reply.body.status, 'queued')
    assert.deepEqual(reply.body.pin, pin)
    assert.match(reply.body.requestid, /^[0-9a-f-]{36}$/)
    assert.ok(!Number.isNaN(Date.parse(reply.body.created)))
    assert.deepEqual(reply.body.delegates, h.address.addresses)
    assert.ok(reply.body.delegates.length > 0)
    for (const d of reply.body.delegates) assert.ok(d.endsWith(`/p2p/${h.node.peerId}`), d)

    const done = await waitForStatus(h, reply.body.requestid, ['pinned', 'failed'])
    assert.equal(done.status, 'pinned', JSON.stringify(done.info))
    assert.equal(done.created, reply.body.created)

    const sent = await storedBlocks(a)
    const received = await storedBlocks(h.node)
    for (const [cid, bytes] of sent) {
      const copy = received.get(cid)
      assert.ok(copy !== undefined, `block ${cid} was not fetched`)
      assert.equal(Buffer.compare(copy, bytes), 0, `block ${cid} differs`)
    }
    assert.ok(await nodePinned(h.node, site.root))

    const mine = h.events.filter((e) => e.type === 'pin-server:status' && e.detail.requestid === reply.body.requestid)
    assert.deepEqual(
      mine.map((e) => (e.type === 'pin-server:status' ? e.detail.status : '')),
      ['queued', 'pinning', 'pinned'],
    )
    assert.deepEqual(
      h.events.filter((e) => e.type === 'pin-server:origin').map((e) => e.detail),
      origins.map((address) => ({ requestid: reply.body.requestid, address, ok: true })),
    )
  })

  it('announces where it listens: its URL, PeerID and delegates', () => {
    assert.deepEqual(
      h.events.filter((e) => e.type === 'pin-server:listening').map((e) => e.detail),
      [{ url: h.address.url, peerId: h.node.peerId?.toString(), addresses: h.address.addresses }],
    )
    assert.match(h.address.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('lists the pinned site as the default (pinned only) listing', async () => {
    const list = await h.api<{ count: number; results: PinStatusBody[] }>('GET', '/pins')
    assert.equal(list.status, 200)
    assert.equal(list.body.count, 1)
    assert.equal(list.body.results[0]?.pin.cid, site.root.toString())
  })
})

describe('createPinServer: pins that cannot be fetched', () => {
  let a: EmbeddedNode
  let h: Harness

  before(async () => {
    a = await memoryNode()
    h = await startServer({ fetchTimeoutMs: 1000 })
  })

  after(async () => {
    await h?.stop()
    await a?.stop()
  })

  async function failure(body: unknown): Promise<PinStatusBody> {
    const reply = await h.api<PinStatusBody>('POST', '/pins', { body })
    assert.equal(reply.status, 202)
    const done = await waitForStatus(h, reply.body.requestid, ['pinned', 'failed'])
    assert.equal(done.status, 'failed')
    return done
  }

  it('fails with info after the fetch timeout when the origins do not have the DAG', async () => {
    const cid = await missingCid('origins without it')
    const done = await failure({ cid: cid.toString(), origins: a.addresses().map(String) })
    assert.deepEqual(done.info, { status_details: `could not fetch ${cid} from the origins within 1s: the origins were connected but did not send every block` })
  })

  it('fails with info naming the dial errors when no origin can be reached', async () => {
    const cid = await missingCid('unreachable')
    const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    // Port 9 (discard) is closed on test machines: the dial is refused at once.
    const origin = `/ip4/127.0.0.1/tcp/9/p2p/${nobody}`
    const done = await failure({ cid: cid.toString(), origins: [origin] })
    const details = done.info.status_details ?? ''
    assert.ok(details.startsWith(`could not fetch ${cid} from the origins within 1s: no origin could be dialled (could not connect to ${origin}`), details)
    const dial = h.events.find((e) => e.type === 'pin-server:origin' && e.detail.address === origin)
    assert.equal(dial?.type === 'pin-server:origin' && dial.detail.ok, false)
  })

  it('fails with info saying which origin did not answer before the timeout', async () => {
    // Accepts TCP connections and never speaks: the libp2p handshake hangs until the fetch timeout.
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => {
      sockets.add(socket)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const cid = await missingCid('silent')
      const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
      const origin = `/ip4/127.0.0.1/tcp/${(silent.address() as AddressInfo).port}/p2p/${nobody}`
      const done = await failure({ cid: cid.toString(), origins: [origin] })
      assert.deepEqual(done.info, {
        status_details: `could not fetch ${cid} from the origins within 1s: no origin could be dialled (could not connect to ${origin} before the timeout)`,
      })
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('fails with info when no origins were given and no peer has the DAG', async () => {
    const cid = await missingCid('no origins')
    const done = await failure({ cid: cid.toString() })
    assert.deepEqual(done.info, { status_details: `could not fetch ${cid} from the origins within 1s: no origins were given and no connected peer had every block` })
    assert.equal(await nodePinned(h.node, cid), false)
  })
})
