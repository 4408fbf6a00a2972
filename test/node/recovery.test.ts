import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFile, mkdir, open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { StoreError } from '../../src/errors.ts'
import { openBlockstore, type PackBlockstore } from '../../src/node/blockstore/index.ts'
import { encodeRecordHeader, KIND_BLOCK, KIND_TOMBSTONE } from '../../src/node/blockstore/format.ts'
import { pack } from '../../src/pack/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import { bytesFor, repoRoot, tempDir } from '../pack/helpers.ts'
import { assertAllValid, collect, makeBlock, type TestBlock } from './blockstore-helpers.ts'

const PACK = 'pack-000001.ipb'

async function opened(path: string, fn: (store: PackBlockstore) => Promise<void>, init: { verifyOnRead?: boolean } = {}): Promise<void> {
  const store = await openBlockstore({ path, ...init })
  try {
    await fn(store)
  } finally {
    await store.close()
  }
}

/** A store closed cleanly with `count` blocks; returns them. */
async function cleanStore(path: string, count: number): Promise<TestBlock[]> {
  const store = await openBlockstore({ path })
  const blocks = Array.from({ length: count }, () => makeBlock(3000))
  for (const b of blocks) await store.put(b.cid, b.bytes)
  await store.close()
  return blocks
}

/** Appends records the way a later run would, without the index that a clean close writes. */
async function appendRecords(path: string, blocks: TestBlock[]): Promise<void> {
  for (const b of blocks) await appendFile(join(path, PACK), Buffer.concat([encodeRecordHeader(KIND_BLOCK, b.cid.bytes, b.bytes.byteLength), b.bytes]))
}

describe('openBlockstore (recovery)', () => {
  it('replays what a killed run appended and cuts off its torn last record', async (t) => {
    const path = await tempDir(t)
    const kept = await cleanStore(path, 5)
    const later = Array.from({ length: 4 }, () => makeBlock(2000))
    await appendRecords(path, later)
    const torn = makeBlock(4000)
    const record = Buffer.concat([encodeRecordHeader(KIND_BLOCK, torn.cid.bytes, 4000), torn.bytes])
    await appendFile(join(path, PACK), record.subarray(0, 1500))

    const store = await openBlockstore({ path })
    try {
      assert.equal(store.recovery.replayed, 4)
      assert.deepEqual(store.recovery.truncated.map((x) => x.bytes), [1500])
      for (const b of [...kept, ...later]) assert.ok((await collect(store.get(b.cid))).equals(b.bytes))
      assert.equal(await store.has(torn.cid), false)
      assert.equal(await assertAllValid(store), 9)
    } finally {
      await store.close()
    }
    const again = await openBlockstore({ path })
    assert.deepEqual(again.recovery, { fullScan: false, replayed: 0, truncated: [] }, 'the repair itself was made durable')
    await again.close()
  })

  it('drops a record whose bytes do not hash to its CID, and everything after it', async (t) => {
    const path = await tempDir(t)
    await cleanStore(path, 3)
    const [bad, after] = [makeBlock(1000), makeBlock(1000)]
    const corrupt = Buffer.from(bad.bytes)
    corrupt[500] = (corrupt[500] ?? 0) ^ 0xff
    await appendRecords(path, [{ cid: bad.cid, bytes: corrupt }, after])
    await opened(path, async (store) => {
      assert.equal(await store.has(bad.cid), false)
      assert.equal(await store.has(after.cid), false)
      assert.equal(await assertAllValid(store), 3)
    })
  })

  it('ignores garbage written after the last record', async (t) => {
    const path = await tempDir(t)
    const blocks = await cleanStore(path, 3)
    await appendFile(join(path, PACK), bytesFor('garbage', 777))
    await opened(path, async (store) => {
      assert.deepEqual(store.recovery.truncated.map((x) => x.bytes), [777])
      for (const b of blocks) assert.equal(await store.has(b.cid), true)
    })
  })

  it('rebuilds the index from the packs when the index is damaged or a pack is shorter than it says', async (t) => {
    const path = await tempDir(t)
    const blocks = await cleanStore(path, 6)
    const index = await readFile(join(path, 'index'))
    index[20] = (index[20] ?? 0) ^ 0x01
    await writeFile(join(path, 'index'), index)
    await opened(path, async (store) => {
      assert.equal(store.recovery.fullScan, true)
      assert.equal(await assertAllValid(store), 6)
    })

    const size = (await stat(join(path, PACK))).size
    await truncate(join(path, PACK), size - 100)
    await opened(path, async (store) => {
      assert.equal(store.recovery.fullScan, true)
      assert.equal(await assertAllValid(store), 5)
      assert.equal(await store.has(blocks[5]!.cid), false)
    })
  })

  it('replays a deletion recorded after the index', async (t) => {
    const path = await tempDir(t)
    const [first] = await cleanStore(path, 2)
    await appendFile(join(path, PACK), encodeRecordHeader(KIND_TOMBSTONE, first!.cid.bytes, 0))
    await opened(path, async (store) => {
      assert.equal(await store.has(first!.cid), false)
      assert.equal(store.stats().blocks, 1)
    })
  })

  it('with verifyOnRead, refuses a block damaged on disk after it was indexed', async (t) => {
    const path = await tempDir(t)
    const [block] = await cleanStore(path, 1)
    const handle = await open(join(path, PACK), 'r+')
    await handle.write(Buffer.from([0xaa]), 0, 1, 100)
    await handle.close()
    await opened(path, async (store) => {
      await assert.rejects(collect(store.get(block!.cid)), (err: Error) => err instanceof StoreError && /is damaged/.test(err.message))
    }, { verifyOnRead: true })
  })

  it('recovers from a pack process killed with SIGKILL mid-write, and the next pack completes it', async (t) => {
    const dir = await tempDir(t)
    const site = join(dir, 'site')
    await mkdir(site)
    for (let i = 0; i < 300; i++) await writeFile(join(site, `f${String(i).padStart(3, '0')}.bin`), bytesFor(`kill-${i}`, 200_000))
    const path = join(dir, 'store')
    const child = spawn(process.execPath, [join(repoRoot, 'test/node/pack-child.ts'), path, site], { stdio: ['pipe', 'pipe', 'inherit'] })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    // The child takes one file per line: it packs exactly as far as it is let.
    child.stdin.write('go\n'.repeat(50))
    for await (const line of createInterface({ input: child.stdout })) {
      child.stdin.write('go\n')
      if (line.startsWith('done')) assert.fail('the child finished before it could be killed; give it more to pack')
      const size = await stat(join(path, PACK)).then((s) => s.size, () => 0)
      if (size > 1024 * 1024) {
        child.kill('SIGKILL')
        break
      }
    }
    assert.equal(await exited, 'SIGKILL')
    assert.ok((await readdir(path)).includes('LOCK'), 'the killed process left its lock behind')

    const store = await openBlockstore({ path })
    try {
      assert.ok(store.recovery.replayed > 0 || store.recovery.fullScan, JSON.stringify(store.recovery))
      await assertAllValid(store)
      const result = await pack(site, { blockstore: store })
      const clean = await pack(site, { blockstore: new MemoryBlockstore() })
      assert.equal(result.cid.toString(), clean.cid.toString())
      assert.ok(result.newBlocks < result.blocks, 'blocks written before the kill were kept')
      let blocks = 0
      for await (const _ of walkDag(result.cid, store)) blocks++
      assert.equal(blocks, result.blocks)
    } finally {
      await store.close()
    }
  })
})
