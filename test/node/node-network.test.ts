import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import type { NodeProgressEvents } from '../../src/events.ts'
import { type EmbeddedNode, openNode } from '../../src/node/index.ts'
import { memoryNode } from './node-fixtures.ts'

/** Lets the jobs libp2p queues right after start (redialling keep-alive peers) run. */
const startupJobs = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function missingCid(): Promise<CID> {
  return CID.createV1(0x55, await sha256.digest(new TextEncoder().encode(`no peer has this ${Math.random()}`)))
}

let store: string
const nodes: EmbeddedNode[] = []
const track = (node: EmbeddedNode): EmbeddedNode => {
  nodes.push(node)
  return node
}

beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), 'ipfs-publish-net-'))
})

afterEach(async () => {
  for (const node of nodes.splice(0).reverse()) await node.stop()
  await rm(store, { recursive: true, force: true })
})

describe('createNode (no public network)', () => {
  it('starts with defaults without knowing, finding or dialling any peer', async () => {
    const events: NodeProgressEvents[] = []
    const node = track(await openNode(store, { onProgress: (e) => events.push(e) }))
    assert.deepEqual(events.map((e) => e.type), ['node:listening'])
    await startupJobs()
    const libp2p = node.libp2p
    assert.ok(libp2p !== undefined)
    assert.deepEqual(Object.keys(libp2p.services), ['identify'])
    assert.deepEqual(await libp2p.peerStore.all(), [])
    assert.deepEqual(libp2p.getConnections(), [])
    assert.deepEqual(libp2p.getDialQueue(), [])
    // No router is configured, so a provider lookup ends at once with nothing.
    const providers = []
    try {
      for await (const p of node.helia.routing.findProviders(await missingCid(), { signal: AbortSignal.timeout(5000) })) providers.push(p)
    } catch (err) {
      assert.match((err as Error).name, /NoRoutersAvailableError|NoContentRoutersError/)
    }
    assert.deepEqual(providers, [])
  })

  it('announces the configured addresses instead of the listen addresses', async () => {
    const node = track(await openNode(store, { announce: ['/dns4/blog.example/tcp/4001'] }))
    assert.deepEqual(node.addresses().map(String), [`/dns4/blog.example/tcp/4001/p2p/${node.peerId}`])
  })
})

describe('createNode (bootstrap)', () => {
  let peer: EmbeddedNode

  before(async () => {
    peer = await memoryNode()
  })

  after(() => peer.stop())

  it('connects to its bootstrap peers at start, and forgets them once they leave the config', async () => {
    const [address] = peer.addresses().map(String)
    assert.ok(address !== undefined)
    const events: NodeProgressEvents[] = []
    const node = track(await openNode(store, { bootstrap: [address], onProgress: (e) => events.push(e) }))
    assert.deepEqual(events.map((e) => e.type), ['node:listening', 'node:dial'])
    assert.deepEqual(node.libp2p?.getConnections().map((c) => c.remotePeer.toString()), [peer.peerId?.toString()])
    await node.stop()

    const again = track(await openNode(store))
    await startupJobs()
    assert.deepEqual(await again.libp2p?.peerStore.all(), [])
    assert.deepEqual(again.libp2p?.getConnections(), [])
  })

  it('starts and reports the failure when a bootstrap peer is down', async () => {
    const absent = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    // Port 1 on loopback: nothing listens there, so the dial is refused at once.
    const address = `/ip4/127.0.0.1/tcp/1/p2p/${absent}`
    const events: NodeProgressEvents[] = []
    track(await openNode(store, { bootstrap: [address], onProgress: (e) => events.push(e) }))
    assert.deepEqual(events.map((e) => e.type), ['node:listening', 'node:dial', 'node:dial:failed'])
    const failed = events[2]
    assert.ok(failed?.type === 'node:dial:failed')
    assert.equal(failed.detail.address, address)
    assert.match(failed.detail.message, /\S/)
  })
})

describe('EmbeddedNode.dial', () => {
  it('needs the /p2p/ PeerID of the address, and a node that is online', async () => {
    const node = track(await memoryNode())
    await assert.rejects(node.dial('/ip4/127.0.0.1/tcp/4001'), { name: 'NodeError', message: /must end in \/p2p\/<PeerID>/ })
    const offline = track(await memoryNode({ offline: true }))
    assert.equal(offline.libp2p, undefined)
    assert.throws(() => offline.addresses(), { name: 'NodeError', message: /started offline/ })
  })
})

describe('EmbeddedNode.stop', () => {
  it('ends a pin that is waiting for a block no peer has, then stops', async () => {
    const node = await memoryNode()
    const pin = node.pin(await missingCid(), { name: 'never' })
    await node.stop()
    // An interrupted pin is an abort, not a NodeError: the CLI reports it as interrupted.
    await assert.rejects(pin, { name: 'AbortError' })
    assert.equal(node.helia.status, 'stopped')
  })

  it('stops a pin when its signal is aborted', async () => {
    const node = track(await memoryNode())
    const controller = new AbortController()
    const pin = node.pin(await missingCid(), { signal: controller.signal })
    controller.abort()
    await assert.rejects(pin, { name: 'AbortError' })
    assert.deepEqual(await node.listPins(), [])
  })

  it('does not start when its signal is already aborted', async () => {
    await assert.rejects(memoryNode({ signal: AbortSignal.abort() }), { name: 'AbortError' })
  })
})
