/**
 * CAR responses over the project's own pack store, which the gateway reads directly
 * (not through Helia's layers): the bytes must be exactly those of the Helia path, and
 * blocks the store lacks must still go through Helia.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { BlockBroker } from '@helia/interface'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight, type Helia } from 'helia'
import type { CID } from 'multiformats/cid'
import { findDirectStore } from '../../src/node/direct-store.ts'
import { createGateway } from '../../src/gateway/index.ts'
import { verify } from '../../src/gateway/verify.ts'
import { openBlockstore, type PackBlockstore } from '../../src/node/blockstore/index.ts'
import { createNode } from '../../src/node/node.ts'
import { assertDepthFirst, assertHashes, readCar } from './car-helpers.ts'
import { createSite, get, type Site, SITE } from './fixture.ts'

interface PackSite {
  helia: Helia
  store: PackBlockstore
  root: CID
  cids: Map<string, CID>
}

/** The fixture site imported into a pack store under Helia, optionally with a block broker behind it. */
async function packSite(dir: string, brokers: BlockBroker[] = []): Promise<PackSite> {
  const store = await openBlockstore({ path: dir })
  const helia = createHeliaLight({ blockstore: store, datastore: new MemoryDatastore(), routers: [], blockBrokers: brokers })
  await helia.start()
  const files = Object.entries(SITE).map(([path, content]) => ({ path, content: typeof content === 'string' ? Buffer.from(content) : content }))
  const cids = new Map<string, CID>()
  for await (const entry of unixfs(helia).addAll(files, { wrapWithDirectory: true, profile: 'unixfs-v1-2025' })) cids.set(entry.path ?? '', entry.cid)
  return { helia, store, root: cids.get('')!, cids }
}

async function serve(helia: Helia, init: { offline?: boolean } = {}) {
  const gateway = createGateway({ helia }, { port: 0, ...init })
  const { port } = await gateway.start()
  return { port, url: `http://127.0.0.1:${port}`, stop: () => gateway.stop() }
}

describe('createGateway over the pack store: CAR responses read it directly', () => {
  let dir: string
  let pack: PackSite
  let memory: Site

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-pack-'))
    pack = await packSite(join(dir, 'blocks'))
    memory = await createSite()
    assert.equal(pack.root.toString(), memory.root.toString(), 'the same site gives the same DAG')
  })
  after(async () => {
    await pack.helia.stop()
    await pack.store.close()
    await memory.helia.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('finds the pack store under Helia’s layers, and under the embedded node’s', async () => {
    assert.equal(findDirectStore(pack.helia.blockstore), pack.store)
    assert.equal(findDirectStore(memory.helia.blockstore), undefined, 'a memory store is read through Helia')
    const node = await createNode({ blockstore: pack.store, datastore: new MemoryDatastore() }, { offline: true })
    try {
      assert.equal(findDirectStore(node.helia.blockstore), pack.store)
    } finally {
      await node.stop()
    }
  })

  it('sends byte for byte the CAR the Helia path sends, whole DAG or below a path, with or without duplicates', async () => {
    const direct = await serve(pack.helia)
    const viaHelia = await serve(memory.helia)
    try {
      for (const path of [`/ipfs/${pack.root}?format=car`, `/ipfs/${pack.root}?format=car&dups=y`, `/ipfs/${pack.root}/media?format=car&dag-scope=all`]) {
        const a = await get(direct.port, path)
        const b = await get(viaHelia.port, path)
        assert.equal(a.status, 200, path)
        assert.ok(a.body.equals(b.body), `${path}: the two CARs differ`)
      }
      const { blocks } = await readCar(await get(direct.port, `/ipfs/${pack.root}?format=car`))
      assertHashes(blocks)
      assertDepthFirst(blocks)
    } finally {
      await direct.stop()
      await viaHelia.stop()
    }
  })

  it('passes verify, and fails it naming the block once the store lost one', async () => {
    const served = await serve(pack.helia)
    try {
      const whole = await verify(pack.root, { gateways: [served.url] })
      assert.equal(whole.ok, true, whole.gateways[0]?.error)
      assert.equal(whole.gateways[0]?.method, 'car')
      const lost = pack.cids.get('posts/hello/index.html')!
      await pack.store.delete(lost)
      const result = await verify(pack.root, { gateways: [served.url], timeoutMs: 2000 })
      assert.equal(result.ok, false)
      assert.deepEqual(result.gateways[0]?.missing, [lost.toString()])
    } finally {
      await served.stop()
    }
  })
})

describe('createGateway over the pack store: a block the store lacks', () => {
  it('is fetched through Helia (its block brokers) when the gateway is not offline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-pack-'))
    const elsewhere = new MemoryBlockstore()
    const asked: string[] = []
    const broker: BlockBroker = {
      name: 'elsewhere',
      async retrieve(cid) {
        asked.push(cid.toString())
        const parts: Uint8Array[] = []
        for await (const part of elsewhere.get(cid)) parts.push(part)
        return Buffer.concat(parts)
      },
    }
    const site = await packSite(join(dir, 'blocks'), [broker])
    const served = await serve(site.helia, { offline: false })
    try {
      const moved = site.cids.get('assets/style.css')!
      for await (const part of site.store.get(moved)) await elsewhere.put(moved, part)
      await site.store.delete(moved)
      const result = await verify(site.root, { gateways: [served.url] })
      assert.deepEqual([result.ok, result.gateways[0]?.method], [true, 'car'], result.gateways[0]?.error)
      assert.deepEqual(asked, [moved.toString()])
    } finally {
      await served.stop()
      await site.helia.stop()
      await site.store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
