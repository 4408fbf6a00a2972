/**
 * Measures candidate layouts for the persistent blockstore on a block mix shaped like
 * a blog (many 2-30 KB blocks, some 1 MiB chunks): fresh puts, repeat puts of the same
 * blocks, reading everything back, reopening. Blocks are made before the clock starts,
 * so only the store is timed. LMDB is measured when the module named by
 * IPFS_PUBLISH_BENCH_LMDB (a path to lmdb's index.js) can be loaded.
 *
 *   node_modules/.bin/node bench/blockstore.ts [MiB]
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { FsBlockstore } from 'blockstore-fs'
import type { Blockstore } from 'interface-blockstore'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { openBlockstore } from '../src/node/blockstore/index.ts'

interface Contender {
  name: string
  open: (dir: string) => Promise<{ store: Pick<Blockstore, 'put' | 'get' | 'has'>; close: () => Promise<void> }>
}

const totalMiB = Number(process.argv[2] ?? 256)
const blocks: { cid: CID; bytes: Uint8Array }[] = []
let made = 0
while (made < totalMiB * 1024 * 1024) {
  // One block in ten is a full 1 MiB chunk, as large assets give; the rest are pages.
  const size = blocks.length % 10 === 9 ? 1024 * 1024 : 2048 + Math.floor(Math.random() * 28 * 1024)
  const bytes = randomBytes(size)
  blocks.push({ cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes })
  made += size
}

async function drain(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0
  for await (const c of chunks) n += c.byteLength
  return n
}

const contenders: Contender[] = [
  { name: 'memory (upper bound)', open: async () => ({ store: new MemoryBlockstore(), close: async () => {} }) },
  {
    name: 'blockstore-fs (file per block)',
    open: async (dir) => {
      const store = new FsBlockstore(dir)
      await store.open()
      return { store, close: () => store.close() }
    },
  },
  ...[true, false].map((sync) => ({
    name: `pack files + index${sync ? ' (fdatasync)' : ' (no sync)'}`,
    open: async (dir: string) => {
      const store = await openBlockstore({ path: dir, sync })
      return { store, close: () => store.close() }
    },
  })),
]

const lmdbPath = process.env.IPFS_PUBLISH_BENCH_LMDB
if (lmdbPath !== undefined) {
  const lmdb = (await import(pathToFileURL(lmdbPath).href)) as {
    open: (o: object) => {
      put: (k: Uint8Array, v: Uint8Array) => Promise<boolean>
      get: (k: Uint8Array) => Uint8Array | undefined
      doesExist: (k: Uint8Array) => boolean
      close: () => Promise<void>
      flushed: Promise<void>
    }
  }
  contenders.push({
    name: 'lmdb (default, durable)',
    open: async (dir) => {
      const db = lmdb.open({ path: dir, encoding: 'binary', keyEncoding: 'binary' })
      const store = {
        put: async (cid: CID, bytes: unknown) => {
          if (!db.doesExist(cid.multihash.bytes)) await db.put(cid.multihash.bytes, bytes as Uint8Array)
          return cid
        },
        get: async function* (cid: CID) {
          const v = db.get(cid.multihash.bytes)
          if (v === undefined) throw new Error('not found')
          yield v
        },
        has: (cid: CID) => db.doesExist(cid.multihash.bytes),
      }
      return { store: store as unknown as Pick<Blockstore, 'put' | 'get' | 'has'>, close: () => db.close() }
    },
  })
}

async function putAll(store: Pick<Blockstore, 'put'>): Promise<void> {
  // The importer keeps several puts in flight; ten, like its default.
  const inflight = new Set<Promise<unknown>>()
  for (const { cid, bytes } of blocks) {
    const p = Promise.resolve(store.put(cid, bytes)).finally(() => inflight.delete(p))
    inflight.add(p)
    if (inflight.size >= 10) await Promise.race(inflight)
  }
  await Promise.all(inflight)
}

const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(2)
console.log(`${blocks.length} blocks, ${totalMiB} MiB`)
console.log('store | put s | MB/s | re-put s | read all s | reopen s | full rescan s')
for (const contender of contenders) {
  const dir = await mkdtemp(join(tmpdir(), 'bs-bench-'))
  let t = performance.now()
  let { store, close } = await contender.open(dir)
  await putAll(store)
  await close()
  const put = seconds(t)
  const mbps = ((totalMiB * 1.048576) / ((performance.now() - t) / 1000)).toFixed(0)
  t = performance.now()
  ;({ store, close } = await contender.open(dir))
  const reopen = seconds(t)
  t = performance.now()
  await putAll(store)
  const reput = seconds(t)
  t = performance.now()
  let read = 0
  for (const { cid } of blocks) read += await drain(store.get(cid))
  const readAll = seconds(t)
  if (read !== made) throw new Error(`${contender.name} read back ${read} of ${made} bytes`)
  await close()
  let rescan = '-'
  if (contender.name.startsWith('pack')) {
    await unlink(join(dir, 'index'))
    t = performance.now()
    ;({ close } = await contender.open(dir))
    rescan = seconds(t)
    await close()
  }
  console.log(`${contender.name} | ${put} | ${mbps} | ${reput} | ${readAll} | ${reopen} | ${rescan}`)
  await rm(dir, { recursive: true, force: true })
}
