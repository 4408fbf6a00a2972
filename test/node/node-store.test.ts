import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import { NodeError, PinNameAmbiguousError, PinNotFoundError, StoreLockedError } from '../../src/errors.ts'
import type { NodeProgressEvents } from '../../src/events.ts'
import { type EmbeddedNode, openNode, peerKeyPath } from '../../src/node/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import { blockKey, importSite, storedBlocks } from './node-fixtures.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
/** Two sites that share a multi-block file, each with a page of its own. */
const shared = new Uint8Array(1536 * 1024).map((_, i) => (i * 7) % 251)
const siteA = new Map([['shared.bin', shared], ['a.html', text('only in A')]])
const siteB = new Map([['shared.bin', shared], ['b.html', text('only in B')]])

let store: string
let node: EmbeddedNode | undefined

beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), 'ipfs-publish-node-'))
})

afterEach(async () => {
  await node?.stop()
  node = undefined
  await rm(store, { recursive: true, force: true })
})

/** Pins a site and returns the blocks of its DAG (read from the store: a pin walks only what it does not know whole). */
async function pinSite(n: EmbeddedNode, files: Map<string, Uint8Array>, name: string): Promise<{ root: CID; blocks: Set<string> }> {
  const { root } = await importSite(n.helia, files)
  await n.pin(root, { name, metadata: { site: 'blog', commit: name } })
  const blocks = new Set<string>()
  for await (const { cid } of walkDag(root, n.helia.blockstore)) blocks.add(blockKey(cid))
  return { root, blocks }
}

describe('openNode', () => {
  it('keeps the same PeerID across restarts from the same store, with the key file at mode 0600', async () => {
    node = await openNode(store)
    const first = node.peerId?.toString()
    await node.stop()
    assert.equal((await stat(peerKeyPath(store))).mode & 0o777, 0o600)
    node = await openNode(store)
    assert.ok(first !== undefined)
    assert.equal(node.peerId?.toString(), first)
  })

  it('refuses a key file that other users can read, and says how to fix it', async () => {
    node = await openNode(store)
    await node.stop()
    node = undefined
    const { chmod } = await import('node:fs/promises')
    await chmod(peerKeyPath(store), 0o644)
    await assert.rejects(openNode(store), (err: unknown) => {
      assert.ok(err instanceof NodeError)
      assert.match(err.message, /can be read by other users \(mode 644\); run: chmod 600 /)
      return true
    })
    // The failed open released the store: a second open works once the key is fixed.
    await chmod(peerKeyPath(store), 0o600)
    node = await openNode(store)
  })

  it('rejects a key file that is not a libp2p key', async () => {
    node = await openNode(store, { offline: true })
    await node.stop()
    node = undefined
    const { mkdir } = await import('node:fs/promises')
    await mkdir(join(store, 'keys'), { recursive: true })
    await writeFile(peerKeyPath(store), 'not a key', { mode: 0o600 })
    await assert.rejects(openNode(store), /is not a libp2p private key/)
  })

  it('does not open a store that another node holds', async () => {
    node = await openNode(store, { offline: true })
    await assert.rejects(openNode(store, { offline: true }), StoreLockedError)
  })

  it('keeps pins, their names and metadata across a restart', async () => {
    node = await openNode(store, { offline: true })
    const started = Date.now()
    const { root } = await pinSite(node, siteA, 'release-1')
    const pinned = Date.now()
    await node.stop()
    node = await openNode(store, { offline: true })
    const pins = await node.listPins()
    assert.equal(pins.length, 1)
    const [pin] = pins
    assert.ok(pin !== undefined)
    assert.equal(pin.cid.toString(), root.toString())
    assert.equal(pin.name, 'release-1')
    assert.deepEqual(pin.metadata, { site: 'blog', commit: 'release-1' })
    assert.match(pin.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.ok(Date.parse(pin.created) >= started && Date.parse(pin.created) <= pinned)
  })
})

describe('EmbeddedNode.pin', () => {
  it('fails, naming the CID, when offline and a block of the DAG is not in the store', async () => {
    node = await openNode(store, { offline: true })
    const { root, files } = await importSite(node.helia, siteA)
    const page = files.get('a.html')
    assert.ok(page !== undefined)
    await node.helia.blockstore.delete(page)
    await assert.rejects(node.pin(root, { name: 'a' }), (err: unknown) => {
      assert.ok(err instanceof NodeError)
      assert.ok(err.message.startsWith(`cannot pin ${root}: a block is not in the local store`))
      return true
    })
    assert.deepEqual(await node.listPins(), [])
  })
})

describe('EmbeddedNode.unpin', () => {
  it('removes a pin by name or by CID and names what it cannot find', async () => {
    node = await openNode(store, { offline: true })
    const a = await pinSite(node, siteA, 'a')
    const b = await pinSite(node, siteB, 'b')
    assert.equal((await node.unpin('a')).cid.toString(), a.root.toString())
    assert.equal((await node.unpin(b.root)).name, 'b')
    assert.deepEqual(await node.listPins(), [])
    await assert.rejects(node.unpin('a'), { name: 'PinNotFoundError', message: /no local pin is named 'a'/ })
    await assert.rejects(node.unpin(a.root.toString()), (err: unknown) => {
      assert.ok(err instanceof PinNotFoundError)
      assert.ok(err.message.startsWith(`${a.root} is not pinned locally`))
      return true
    })
  })

  it('refuses a name that several pins share and lists their CIDs', async () => {
    node = await openNode(store, { offline: true })
    const a = await pinSite(node, siteA, 'same')
    const b = await pinSite(node, siteB, 'same')
    await assert.rejects(node.unpin('same'), (err: unknown) => {
      assert.ok(err instanceof PinNameAmbiguousError)
      assert.match(err.message, new RegExp(`${a.root}`))
      assert.match(err.message, new RegExp(`${b.root}`))
      return true
    })
  })
})

describe('EmbeddedNode.gc', () => {
  it('deletes the blocks only an unpinned DAG used and keeps every pinned DAG whole', async () => {
    node = await openNode(store, { offline: true })
    const a = await pinSite(node, siteA, 'a')
    const b = await pinSite(node, siteB, 'b')
    const before = await storedBlocks(node)
    const onlyA = [...a.blocks].filter((k) => !b.blocks.has(k))
    assert.ok(onlyA.length >= 2 && [...a.blocks].some((k) => b.blocks.has(k)), 'the fixture must share blocks')
    await node.unpin(a.root)
    const events: NodeProgressEvents[] = []
    const result = await node.gc({ onProgress: (e) => events.push(e) })
    const after = await storedBlocks(node)
    assert.deepEqual([...after.keys()].sort(), [...b.blocks].sort())
    assert.equal(result.blocks, onlyA.length)
    assert.equal(result.bytes, onlyA.reduce((sum, k) => sum + (before.get(k)?.byteLength ?? 0), 0))
    assert.deepEqual({ pins: result.pins, kept: result.kept }, { pins: 1, kept: b.blocks.size })
    assert.deepEqual(events[0], { type: 'node:gc:marked', detail: { pins: 1, blocks: b.blocks.size } })
    assert.deepEqual(events.slice(1).map((e) => (e.type === 'node:gc:deleted' ? blockKey(e.detail.cid) : e.type)).sort(), onlyA.sort())
    // B is whole and pins again; A lost its own blocks, and nothing still counts them as there.
    await node.pin(b.root, { name: 'b', offline: true })
    await assert.rejects(node.pin(a.root, { name: 'a', offline: true }), { name: 'NodeError', message: /a block is not in the local store/ })
  })

  it('keeps a DAG whole after it is pinned again and the pin sharing its blocks is removed (refcount regression)', async () => {
    node = await openNode(store, { offline: true })
    const a = await pinSite(node, siteA, 'a')
    const b = await pinSite(node, siteB, 'b')
    await node.unpin(a.root)
    await node.pin(a.root, { name: 'a' })
    await node.unpin(b.root)
    await node.gc()
    assert.deepEqual([...(await storedBlocks(node)).keys()].sort(), [...a.blocks].sort())
  })

  it('keeps the blocks across a restart and deletes nothing while a pinned DAG is incomplete', async () => {
    node = await openNode(store, { offline: true })
    const a = await pinSite(node, siteA, 'a')
    const stray = await importSite(node.helia, new Map([['stray.txt', text('never pinned')]]))
    await node.stop()
    node = await openNode(store, { offline: true })
    // Drop the directory block: the pinned DAG now has a hole under its root.
    await node.helia.blockstore.delete(a.root)
    await assert.rejects(node.gc(), { name: 'NodeError', message: /stopped before deleting anything: a pinned DAG is incomplete/ })
    assert.ok(await node.helia.blockstore.has(stray.root))
  })
})
