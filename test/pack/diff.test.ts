import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { diff, pack } from '../../src/pack/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import type { OutputFile } from '../../src/render/types.ts'
import { bytesFor } from './helpers.ts'

const file = (path: string, label = path, size = 2000): OutputFile => ({ path, content: bytesFor(label, size) })

async function blocksOf(store: MemoryBlockstore, root: CID): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for await (const block of walkDag(root, store)) out.set(block.cid.toString(), block.bytes.byteLength)
  return out
}

describe('diff', () => {
  it('lists added, removed and changed paths and the blocks only the new DAG has', async () => {
    const blockstore = new MemoryBlockstore()
    const before = [
      file('index.html'),
      file('about/index.html'),
      file('posts/a/index.html'),
      file('posts/b/index.html'),
      file('old/gone.html'),
      file('assets/big.bin', 'big', 3 * 1024 * 1024),
    ]
    const after = [
      file('index.html', 'index v2'),
      file('about/index.html'),
      file('posts/a/index.html'),
      file('posts/c/index.html'),
      file('assets/big.bin', 'big', 3 * 1024 * 1024),
      file('assets/new.bin', 'new', 1024 * 1024 + 10),
    ]
    const old = await pack(before, { blockstore })
    const next = await pack([...after, { path: 'empty/keep', content: new Uint8Array() }], { blockstore })
    const result = await diff(old.cid, next.cid, { blockstore })
    assert.deepEqual(result.added, ['assets/new.bin', 'empty/keep', 'posts/c/index.html'])
    assert.deepEqual(result.removed, ['old/gone.html', 'posts/b/index.html'])
    assert.deepEqual(result.changed, ['index.html'])

    const oldBlocks = await blocksOf(blockstore, old.cid)
    const expected = [...(await blocksOf(blockstore, next.cid))].filter(([cid]) => !oldBlocks.has(cid))
    assert.deepEqual(result.newBlocks.map(String).sort(), expected.map(([cid]) => cid).sort())
    assert.equal(result.newBytes, expected.reduce((sum, [, size]) => sum + size, 0))
  })

  it('finds nothing between a DAG and itself', async () => {
    const blockstore = new MemoryBlockstore()
    const { cid } = await pack([file('a'), file('b/c')], { blockstore })
    assert.deepEqual(await diff(cid, cid, { blockstore }), { added: [], removed: [], changed: [], newBlocks: [], newBytes: 0 })
  })

  it('reports a file that became a folder as removed and its contents as added', async () => {
    const blockstore = new MemoryBlockstore()
    const a = await pack([file('x'), file('y')], { blockstore })
    const b = await pack([file('x/one'), file('x/two'), file('y')], { blockstore })
    const result = await diff(a.cid, b.cid, { blockstore })
    assert.deepEqual([result.added, result.removed, result.changed], [['x/one', 'x/two'], ['x'], []])
  })

  it('says which DAG is incomplete when a block is missing', async () => {
    const blockstore = new MemoryBlockstore()
    const a = await pack([file('x')], { blockstore })
    const other = new MemoryBlockstore()
    const b = await pack([file('z')], { blockstore: other })
    await assert.rejects(diff(a.cid, b.cid, { blockstore }), /new \/ \(.*\): cannot be read from the block store/)
  })
})
