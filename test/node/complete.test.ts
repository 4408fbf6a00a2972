import assert from 'node:assert/strict'
import { appendFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Key } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import { blockstorePath } from '../../src/node/blockstore/index.ts'
import { packFileName } from '../../src/node/blockstore/format.ts'
import { type EmbeddedNode, openNode } from '../../src/node/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import { importSite } from './node-fixtures.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const shared = new Uint8Array(1536 * 1024).map((_, i) => (i * 13) % 251)
const siteA = new Map([['big.bin', shared], ['index.html', text('version A')], ['about/index.html', text('about')]])
const siteB = new Map([['big.bin', shared], ['index.html', text('version B')], ['about/index.html', text('about')]])

let store: string
let node: EmbeddedNode | undefined

beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), 'ipfs-publish-complete-'))
})

afterEach(async () => {
  await node?.stop()
  node = undefined
  await rm(store, { recursive: true, force: true })
})

/** Pins `root` offline and returns how many blocks the pin walked. */
async function pinWalked(n: EmbeddedNode, root: CID, name: string): Promise<number> {
  let walked = -1
  await n.pin(root, {
    name,
    offline: true,
    onProgress: (e) => {
      if (e.type === 'node:pin:done') walked = e.detail.blocks
    },
  })
  return walked
}

async function blocksOf(n: EmbeddedNode, root: CID): Promise<number> {
  let count = 0
  for await (const _ of walkDag(root, n.helia.blockstore)) count++
  return count
}

describe('pins walk only what is not known whole', () => {
  it('a second version walks only the blocks the pinned one lacks, also after a restart', async () => {
    node = await openNode(store, { offline: true })
    const a = await importSite(node.helia, siteA)
    const b = await importSite(node.helia, siteB)
    assert.equal(await pinWalked(node, a.root, 'a'), await blocksOf(node, a.root))
    // New in B: the root and its index.html; big.bin and about/ are A's.
    assert.equal(await pinWalked(node, b.root, 'b'), 2)
    await node.stop()

    node = await openNode(store, { offline: true })
    const c = await importSite(node.helia, new Map([...siteB, ['index.html', text('version C')]]))
    assert.equal(await pinWalked(node, c.root, 'c'), 2)
    assert.equal(await pinWalked(node, a.root, 'a'), 0, 'a root known whole is not walked at all')
  })

  it('a block missing below a new part still fails the pin', async () => {
    node = await openNode(store, { offline: true })
    const a = await importSite(node.helia, siteA)
    await pinWalked(node, a.root, 'a')
    const b = await importSite(node.helia, siteB)
    await node.helia.blockstore.delete(b.files.get('index.html') as CID)
    await assert.rejects(node.pin(b.root, { name: 'b', offline: true }), { name: 'NodeError', message: /a block is not in the local store/ })
  })

  it('forgets everything when recovery cut the store’s tail off', async () => {
    node = await openNode(store, { offline: true })
    const a = await importSite(node.helia, siteA)
    const all = await pinWalked(node, a.root, 'a')
    await node.stop()
    node = undefined
    // A torn record after the last whole one: what a crash mid-write leaves.
    await appendFile(join(blockstorePath(store), packFileName(1)), Buffer.alloc(300, 7))
    node = await openNode(store, { offline: true })
    assert.equal(await pinWalked(node, a.root, 'a'), all)
  })

  it('treats a stored set it cannot read as empty', async () => {
    node = await openNode(store, { offline: true })
    const a = await importSite(node.helia, siteA)
    const all = await pinWalked(node, a.root, 'a')
    await node.stop()
    node = await openNode(store, { offline: true })
    await node.helia.datastore.put(new Key('/ipfs-publish/complete-blocks'), Uint8Array.from([9, 1, 2, 3]))
    assert.equal(await pinWalked(node, a.root, 'a'), all)
  })
})
