import assert from 'node:assert/strict'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { MemoryBlockstore } from 'blockstore-core'
import type { CID } from 'multiformats/cid'
import { dagStats } from '../../src/deploy/dag.ts'
import { addedBlocks, dagBlocksPath, readDagBlocks, sweepDagBlocks, writeDagBlocks } from '../../src/deploy/dag-blocks.ts'
import { previousRoot } from '../../src/deploy/source.ts'
import { diff, pack } from '../../src/pack/index.ts'
import type { OutputFile } from '../../src/render/types.ts'
import { memoryNode } from '../node/node-fixtures.ts'
import { tempDir } from '../pack/helpers.ts'

const page = (path: string, body: string): OutputFile => ({ path, content: new TextEncoder().encode(body) })
const big = new Uint8Array(700 * 1024).map((_, i) => (i * 31) % 253)
const v1 = [page('index.html', 'home v1'), page('posts/a/index.html', 'a'), page('posts/b/index.html', 'b'), { path: 'big.bin', content: big }]
const v2 = [page('index.html', 'home v2'), page('posts/a/index.html', 'a'), page('posts/b/index.html', 'b, edited'), { path: 'big.bin', content: big }]

async function packed(blockstore: Parameters<typeof pack>[1]['blockstore'], files: OutputFile[]) {
  return pack(files, { blockstore, profile: 'unixfs-v1-2025' })
}

describe('previousRoot', () => {
  it('takes the first version this store can compare with: the live one, else the recorded one', async (t) => {
    const store = await tempDir(t)
    const node = await memoryNode({ offline: true })
    t.after(() => node.stop())
    const elsewhere = await packed(new MemoryBlockstore(), [page('index.html', 'deployed from another machine')])
    const recorded = await packed(new MemoryBlockstore(), v1)
    await writeDagBlocks(store, recorded.cid, recorded.blockSizes)
    assert.equal((await previousRoot([elsewhere.cid, recorded.cid], store, node))?.toString(), recorded.cid.toString())
    const live = await packed(node.helia.blockstore, v2)
    assert.equal((await previousRoot([live.cid, recorded.cid], store, node))?.toString(), live.cid.toString())
    assert.equal((await previousRoot([elsewhere.cid], store, node))?.toString(), elsewhere.cid.toString(), 'nothing comparable: the live one still')
    assert.equal(await previousRoot([], store, node), undefined)
  })
})

describe('dag block lists', () => {
  it('pack counts every distinct block with its size, as a walk of the stored DAG does', async () => {
    const blockstore = new MemoryBlockstore()
    const result = await packed(blockstore, v1)
    const walked = await dagStats(result.cid, blockstore)
    assert.deepEqual([result.blocks, result.dagBytes, result.blockSizes.size], [walked.blocks, walked.dagBytes, walked.blocks])
  })

  it('the difference of two lists is what a diff of the two DAGs finds new', async () => {
    const blockstore = new MemoryBlockstore()
    const a = await packed(blockstore, v1)
    const b = await packed(blockstore, v2)
    const walked = await diff(a.cid, b.cid, { blockstore })
    assert.deepEqual(addedBlocks(a.blockSizes, b.blockSizes), { newBlocks: walked.newBlocks.length, newBytes: walked.newBytes })
    assert.ok(walked.newBlocks.length > 0 && walked.newBlocks.length < b.blocks)
  })

  it('reads back what it wrote, and nothing from a damaged or missing file', async (t) => {
    const store = await tempDir(t)
    const blockstore = new MemoryBlockstore()
    const a = await packed(blockstore, v1)
    const b = await packed(blockstore, v2)
    assert.equal(await readDagBlocks(store, a.cid), undefined)
    await writeDagBlocks(store, a.cid, a.blockSizes)
    assert.deepEqual(await readDagBlocks(store, a.cid), a.blockSizes)
    const file = dagBlocksPath(store, a.cid)
    const bytes = await readFile(file)
    bytes[40] = (bytes[40] as number) ^ 1
    await writeFile(file, bytes)
    assert.equal(await readDagBlocks(store, a.cid), undefined, 'a flipped bit fails the checksum')
    await writeFile(file, bytes.subarray(0, 20))
    assert.equal(await readDagBlocks(store, a.cid), undefined, 'a cut file is refused')
    await writeDagBlocks(store, b.cid, b.blockSizes)
    assert.deepEqual((await readdir(join(store, 'dags'))).filter((n) => n.endsWith('.tmp')), [])
  })

  it('sweeps the lists no deploy record names, keeping the ones asked for', async (t) => {
    const store = await tempDir(t)
    const blockstore = new MemoryBlockstore()
    const roots: CID[] = []
    for (const files of [v1, v2, [page('index.html', 'three')], [page('index.html', 'four')]]) {
      const r = await packed(blockstore, files)
      await writeDagBlocks(store, r.cid, r.blockSizes)
      roots.push(r.cid)
    }
    const [one, two, three, four] = roots as [CID, CID, CID, CID]
    await mkdir(join(store, 'deploys'), { recursive: true })
    await writeFile(join(store, 'deploys', 'blog.json'), JSON.stringify({ site: 'blog', production: [{ cid: one.toString() }], previews: { pr: { cid: two.toString() } } }))
    await sweepDagBlocks(store, [four.toString()])
    const left = (await readdir(join(store, 'dags'))).sort()
    assert.deepEqual(left, [one, two, four].map((c) => `${c.toV1()}.blocks`).sort())
    assert.equal(await readDagBlocks(store, three), undefined)
  })
})
