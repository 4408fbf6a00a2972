import assert from 'node:assert/strict'
import { createReadStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { CarReader } from '@ipld/car'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { openBlockstore } from '../../src/node/blockstore/index.ts'
import { exportCar, pack, writeCar } from '../../src/pack/index.ts'
import { type BlockReader, readBlock } from '../../src/pack/walk.ts'
import { siteFiles } from './fixture.ts'
import { bytesFor, tempDir } from './helpers.ts'

/** The depth-first order, computed recursively and independently of the exporter. */
async function dfs(store: MemoryBlockstore, cid: CID, seen = new Set<string>(), out: string[] = []): Promise<string[]> {
  if (seen.has(cid.toString())) return out
  seen.add(cid.toString())
  out.push(cid.toString())
  if (cid.code === dagPb.code) {
    for (const link of dagPb.decode(await readBlock(store, cid)).Links) await dfs(store, link.Hash, seen, out)
  }
  return out
}

describe('exportCar', () => {
  it('writes a byte-identical CARv1 each time, with one root and every block hash-valid, depth-first', async (t) => {
    const dir = await tempDir(t)
    const blockstore = new MemoryBlockstore()
    const files = [...siteFiles(), { path: 'copy/index.html', content: siteFiles()[0]?.content as Uint8Array }]
    const first = await pack(files, { blockstore, car: join(dir, 'a.car') })
    const second = await pack(files, { blockstore: new MemoryBlockstore(), car: join(dir, 'b.car') })
    const a = await readFile(join(dir, 'a.car'))
    assert.ok(a.equals(await readFile(join(dir, 'b.car'))), 'two packs give the same CAR bytes')
    assert.equal(first.car?.bytes, a.byteLength)
    assert.equal(second.cid.toString(), first.cid.toString())

    const reader = await CarReader.fromIterable(createReadStream(join(dir, 'a.car')))
    assert.equal(reader.version, 1)
    assert.deepEqual((await reader.getRoots()).map(String), [first.cid.toString()])
    const order: string[] = []
    for await (const block of reader.blocks()) {
      const digest = await sha256.digest(block.bytes)
      assert.deepEqual(digest.bytes, block.cid.multihash.bytes, `block ${block.cid} hashes to its CID`)
      order.push(block.cid.toString())
    }
    assert.equal(new Set(order).size, order.length, 'each block once')
    assert.equal(order.length, first.blocks)
    assert.deepEqual(order, await dfs(blockstore, first.cid))
  })

  it('streams the same bytes the file holds', async (t) => {
    const dir = await tempDir(t)
    const blockstore = new MemoryBlockstore()
    const result = await pack(siteFiles().slice(0, 20), { blockstore, car: join(dir, 'x.car') })
    const chunks: Uint8Array[] = []
    for await (const chunk of exportCar(result.cid, { blockstore })) chunks.push(chunk)
    assert.ok(Buffer.concat(chunks).equals(await readFile(join(dir, 'x.car'))))
  })

  it('fails naming the missing block, and leaves no CAR behind', async (t) => {
    const dir = await tempDir(t)
    const blockstore = new MemoryBlockstore()
    const result = await pack(siteFiles().slice(0, 5), { blockstore })
    const empty = new MemoryBlockstore()
    await empty.put(result.cid, await readBlock(blockstore, result.cid))
    await assert.rejects(writeCar(result.cid, join(dir, 'broken.car'), { blockstore: empty }), /is not in the block store/)
    assert.deepEqual(await readdir(dir), [])
  })

  it('reads the pack store in place and writes the same bytes as reading block by block', async (t) => {
    const dir = await tempDir(t)
    const store = await openBlockstore({ path: join(dir, 'store') })
    try {
      // About 20 MB: the CAR spans several chunks, so the write buffers are reused.
      const media = Array.from({ length: 8 }, (_, i) => ({ path: `media/m${i}.bin`, content: bytesFor(`car-direct-${i}`, 2_500_000) }))
      const result = await pack([...siteFiles(), ...media], { blockstore: store, car: join(dir, 'direct.car') })
      const oneByOne: BlockReader = { get: (cid, options) => store.get(cid, options) }
      const stats = await writeCar(result.cid, join(dir, 'generic.car'), { blockstore: oneByOne })
      assert.ok((await readFile(join(dir, 'direct.car'))).equals(await readFile(join(dir, 'generic.car'))))
      assert.deepEqual(result.car && { blocks: result.car.blocks, bytes: result.car.bytes }, stats)
      assert.equal(stats.blocks, result.blocks)
    } finally {
      await store.close()
    }
  })
})
