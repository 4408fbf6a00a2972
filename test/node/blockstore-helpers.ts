import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Blockstore } from 'interface-blockstore'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create } from 'multiformats/hashes/digest'
import { openBlockstore, type PackBlockstore } from '../../src/node/blockstore/index.ts'

export interface TestBlock {
  cid: CID
  bytes: Uint8Array
}

export function makeBlock(size = 1000): TestBlock {
  const bytes = randomBytes(size)
  return { cid: CID.createV1(raw.code, create(0x12, createHash('sha256').update(bytes).digest())), bytes }
}

export async function collect(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts)
}

/** Every block the store lists hashes to its CID. */
export async function assertAllValid(store: Pick<Blockstore, 'getAll'>): Promise<number> {
  let n = 0
  for await (const { cid, bytes } of store.getAll()) {
    const digest = createHash('sha256').update(await collect(bytes)).digest()
    if (!digest.equals(cid.multihash.digest)) throw new Error(`block ${cid} does not hash to its CID`)
    n++
  }
  return n
}

/** A store in a fresh folder; closed, then the folder removed, when the test ends. */
export async function tempStore(t: { after: (fn: () => Promise<void>) => void }): Promise<PackBlockstore> {
  const path = await mkdtemp(join(tmpdir(), 'store-test-'))
  const store = await openBlockstore({ path })
  t.after(async () => {
    await store.close()
    await rm(path, { recursive: true, force: true })
  })
  return store
}
