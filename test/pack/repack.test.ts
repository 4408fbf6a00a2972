import assert from 'node:assert/strict'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import { openBlockstore, type PackBlockstore } from '../../src/node/blockstore/index.ts'
import { diff, pack } from '../../src/pack/index.ts'
import { siteFiles, writeSite } from './fixture.ts'
import { bytesFor, tempDir } from './helpers.ts'

/** The store, with every put that reaches it counted. */
function instrumented(store: PackBlockstore): { blockstore: PackBlockstore; puts: () => number } {
  let puts = 0
  const blockstore = Object.create(store) as PackBlockstore
  blockstore.put = (cid: CID, bytes, options) => {
    puts++
    return store.put(cid, bytes, options)
  }
  return { blockstore, puts: () => puts }
}

async function packSizes(path: string): Promise<number[]> {
  const names = (await readdir(path)).filter((n) => n.startsWith('pack-')).sort()
  return Promise.all(names.map(async (n) => (await stat(join(path, n))).size))
}

describe('pack (repack)', () => {
  it('writes no block when an unchanged site is packed again, and only the new blocks after a change', async (t) => {
    const dir = await tempDir(t)
    const site = join(dir, 'site')
    const path = join(dir, 'blocks')
    await writeSite(site, siteFiles())
    let store = await openBlockstore({ path })
    const first = await pack(site, { blockstore: store })
    await store.close()
    const sizes = await packSizes(path)

    store = await openBlockstore({ path })
    try {
      const counted = instrumented(store)
      const again = await pack(site, { blockstore: counted.blockstore })
      assert.equal(again.cid.toString(), first.cid.toString())
      assert.equal(counted.puts(), 0)
      assert.equal(again.newBlocks, 0)
      assert.deepEqual(await packSizes(path), sizes)

      await writeSite(site, [{ path: 'posts/2024/post-3/index.html', content: bytesFor('edited', 1500) }])
      const changed = await pack(site, { blockstore: counted.blockstore })
      const delta = await diff(first.cid, changed.cid, { blockstore: store })
      assert.deepEqual(delta.changed, ['posts/2024/post-3/index.html'])
      assert.equal(counted.puts(), changed.newBlocks)
      assert.equal(changed.newBlocks, delta.newBlocks.length)
      assert.equal(changed.newBytes, delta.newBytes)
    } finally {
      await store.close()
    }
  })
})
