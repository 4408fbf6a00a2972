import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core'
import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import { all, assertHashes, readCar } from './car-helpers.ts'
import { createSite, get, type Reply, type Served, serveSite } from './fixture.ts'

describe('createGateway: CAR responses through a HAMT-sharded directory', () => {
  let sharded: Served
  const names = Array.from({ length: 60 }, (_, i) => `file-${i}.txt`)

  before(async () => {
    const files = Object.fromEntries(names.map((n) => [`shard/${n}`, `content of ${n}`]))
    // A tiny threshold turns every directory into a HAMT without thousands of files.
    sharded = await serveSite({ site: await createSite(files, { shardSplitThresholdBytes: 200 }) })
  })
  after(() => sharded.stop())

  /** A blockstore holding only what the CAR carried: what a trustless client can verify with. */
  async function carStore(r: Reply): Promise<MemoryBlockstore> {
    const store = new MemoryBlockstore()
    for (const block of (await readCar(r)).blocks) await store.put(block.cid, block.bytes)
    return store
  }

  it('includes the shard blocks that prove a path, enough to walk it from the CAR alone', async () => {
    const shard = await exporter(`${sharded.root}/shard`, sharded.helia.blockstore)
    assert.equal(shard.type, 'directory')
    assert.equal(UnixFS.unmarshal(dagPb.decode(Buffer.concat(await all(sharded.helia.blockstore.get(shard.cid)))).Data!).type, 'hamt-sharded-directory')

    const r = await get(sharded.port, `/ipfs/${sharded.root}/shard/file-42.txt?format=car&dag-scope=entity`)
    assert.equal(r.status, 200)
    assertHashes((await readCar(r)).blocks)
    const file = await exporter(`${sharded.root}/shard/file-42.txt`, await carStore(r))
    assert.equal(Buffer.concat(await all(file.type === 'file' || file.type === 'raw' ? file.content() : (async function* () {})())).toString(), 'content of file-42.txt')
  })

  it('sends a sharded directory’s own blocks with dag-scope=entity, enough to list it', async () => {
    const r = await get(sharded.port, `/ipfs/${sharded.root}/shard/?format=car&dag-scope=entity`)
    const store = await carStore(r)
    const dir = await exporter(`${sharded.root}/shard`, store)
    assert.equal(dir.type, 'directory')
    const listed = dir.type === 'directory' ? (await all(dir.entries())).map((e) => e.name).sort() : []
    assert.deepEqual(listed, [...names].sort())
    assert.equal(await store.has(sharded.cids.get('shard/file-0.txt')!), false, 'entity scope stops at the directory')
  })

  it('serves files inside the sharded directory', async () => {
    const r = await get(sharded.port, `/ipfs/${sharded.root}/shard/file-7.txt`)
    assert.equal(r.status, 200)
    assert.equal(r.text, 'content of file-7.txt')
  })
})
