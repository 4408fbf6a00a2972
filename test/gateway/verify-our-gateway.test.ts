/**
 * The retrieval check against the project's own gateway (not the test trustless gateway):
 * the two must agree on the trustless protocol, since `start` and `deploy` rely on it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { verify } from '../../src/gateway/verify.ts'
import { createSite, serveSite } from './fixture.ts'

describe('verify against the local gateway', () => {
  it('fetches a whole site, HAMT-sharded folder included, as one CAR and finds every block', async () => {
    // A small shard threshold makes the folder a HAMT without thousands of files.
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`many/file-${i}.txt`, `file ${i}\n`]))
    const site = await createSite(many, { shardSplitThresholdBytes: 256 })
    const served = await serveSite({ site })
    try {
      let stored = 0
      let storedBytes = 0
      for await (const { bytes } of site.blockstore.getAll()) {
        stored++
        for await (const chunk of bytes) storedBytes += chunk.byteLength
      }
      const result = await verify(site.root, { gateways: [`http://127.0.0.1:${served.port}`] })
      const [gateway] = result.gateways
      assert.ok(result.ok, gateway?.error)
      assert.equal(gateway?.method, 'car')
      assert.deepEqual(gateway?.missing, [])
      assert.deepEqual(gateway?.bad, [])
      // The store holds exactly this site, so every stored block belongs to the DAG.
      assert.equal(gateway?.blocks, stored)
      assert.equal(gateway?.bytes, storedBytes)
    } finally {
      await served.stop()
    }
  })

  it('fails, naming the block, when the gateway’s store lost one', async () => {
    const site = await createSite()
    const served = await serveSite({ site })
    try {
      const lost = site.cids.get('posts/hello/index.html')!
      await site.blockstore.delete(lost)
      const result = await verify(site.root, { gateways: [`http://127.0.0.1:${served.port}`], timeoutMs: 2000 })
      const [gateway] = result.gateways
      assert.equal(result.ok, false)
      assert.deepEqual(gateway?.missing, [lost.toString()])
      assert.match(gateway?.error ?? '', /missing/)
    } finally {
      await served.stop()
    }
  })
})
