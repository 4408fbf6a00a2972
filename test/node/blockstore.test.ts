import assert from 'node:assert/strict'
import { readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { StoreLockedError } from '../../src/errors.ts'
import { openBlockstore } from '../../src/node/blockstore/index.ts'
import { tempDir } from '../pack/helpers.ts'
import { collect, makeBlock, tempStore } from './blockstore-helpers.ts'

describe('openBlockstore', () => {
  it('puts, gets, has and deletes blocks, and keeps them across a reopen', async (t) => {
    const path = await tempDir(t)
    const blocks = Array.from({ length: 50 }, (_, i) => makeBlock(100 + i * 997))
    let store = await openBlockstore({ path })
    for (const b of blocks) assert.equal(await store.put(b.cid, b.bytes), b.cid)
    assert.ok((await collect(store.get(blocks[3]!.cid))).equals(blocks[3]!.bytes), 'a fresh put reads back before it is on disk')
    await store.close()

    store = await openBlockstore({ path })
    try {
    for (const b of blocks) {
      assert.equal(await store.has(b.cid), true)
      assert.ok((await collect(store.get(b.cid))).equals(b.bytes))
    }
    await store.delete(blocks[0]!.cid)
    assert.equal(await store.has(blocks[0]!.cid), false)
    await assert.rejects(collect(store.get(blocks[0]!.cid)), { name: 'NotFoundError' })
    assert.equal(store.stats().blocks, 49)
    } finally {
      await store.close()
    }
  })

  it('implements putMany, getMany, deleteMany and getAll', async (t) => {
    const store = await tempStore(t)
    const blocks = Array.from({ length: 10 }, () => makeBlock())
    const put = []
    for await (const cid of store.putMany(blocks)) put.push(cid.toString())
    assert.deepEqual(put, blocks.map((b) => b.cid.toString()))
    for await (const { cid, bytes } of store.getMany(blocks.map((b) => b.cid))) {
      assert.ok((await collect(bytes)).equals(blocks.find((b) => b.cid.equals(cid))!.bytes))
    }
    const all = []
    for await (const { cid } of store.getAll()) all.push(cid.toString())
    assert.deepEqual(all.sort(), blocks.map((b) => b.cid.toString()).sort())
    for await (const _ of store.deleteMany(blocks.slice(0, 4).map((b) => b.cid))) {
      // drained
    }
    assert.equal(store.stats().blocks, 6)
  })

  it('honours an aborted signal', async (t) => {
    const store = await tempStore(t)
    const b = makeBlock()
    const signal = AbortSignal.abort()
    await assert.rejects(store.put(b.cid, b.bytes, { signal }), { name: 'AbortError' })
    assert.throws(() => store.has(b.cid, { signal }), { name: 'AbortError' })
    await assert.rejects(collect(store.get(b.cid, { signal })), { name: 'AbortError' })
  })

  it('never writes a block it already has', async (t) => {
    const path = await tempDir(t)
    const b = makeBlock(5000)
    let store = await openBlockstore({ path })
    await store.put(b.cid, b.bytes)
    await store.put(b.cid, b.bytes)
    await store.close()
    const size = async () => (await stat(join(path, (await readdir(path)).find((f) => f.startsWith('pack-'))!))).size
    const before = await size()
    store = await openBlockstore({ path })
    await store.put(b.cid, [b.bytes.subarray(0, 10), b.bytes.subarray(10)])
    await store.close()
    assert.equal(await size(), before)
    assert.equal(before, 8 + 8 + b.cid.bytes.byteLength + 5000, 'one record after the pack header')
  })

  it('refuses a second opener while the first holds it, and takes over the lock of a dead process', async (t) => {
    const path = await tempDir(t)
    const store = await openBlockstore({ path })
    await assert.rejects(openBlockstore({ path }), (err: Error) => err instanceof StoreLockedError && /in use by this process/.test(err.message))
    await store.close()
    // pid 2^22 + 1 is above Linux's pid_max: no such process can hold it.
    await writeFile(join(path, 'LOCK'), `${2 ** 22 + 1}\n`)
    const again = await openBlockstore({ path })
    await again.close()
  })
})
