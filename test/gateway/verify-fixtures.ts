/**
 * DAGs to verify, each imported into its own blockstore so that its block count and byte
 * total are simply what the store holds.
 */
import { createHash } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { UnixFS } from 'ipfs-unixfs'
import { type ImporterOptions, importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'

export interface Fixture {
  root: CID
  store: MemoryBlockstore
  blocks: number
  bytes: number
}

/** Deterministic bytes: a SHA-256 counter stream, so fixtures (and their CIDs) never change. */
export function pseudoRandom(size: number, seed: string): Uint8Array {
  const out = new Uint8Array(size)
  for (let offset = 0, i = 0; offset < size; i++) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest()
    out.set(block.subarray(0, Math.min(block.length, size - offset)), offset)
    offset += block.length
  }
  return out
}

async function measure(root: CID, store: MemoryBlockstore): Promise<Fixture> {
  let blocks = 0
  let bytes = 0
  for await (const pair of store.getAll()) {
    blocks++
    for await (const part of pair.bytes) bytes += part.length
  }
  return { root, store, blocks, bytes }
}

async function importTree(files: Array<{ path: string; content: Uint8Array }>, options: ImporterOptions = {}): Promise<Fixture> {
  const store = new MemoryBlockstore()
  let root: CID | undefined
  for await (const entry of importer(files, store, { profile: 'unixfs-v1-2025', wrapWithDirectory: true, ...options })) root = entry.cid
  return measure(root!, store)
}

/** A small site: pages, a stylesheet, and an image over one 1 MiB chunk (so a file root with raw leaves). */
export function siteFixture(): Promise<Fixture> {
  const text = (s: string) => new TextEncoder().encode(s)
  return importTree([
    { path: 'index.html', content: text('<!doctype html><title>home</title><a href="./posts/a/">a</a>') },
    { path: 'posts/a/index.html', content: text('<!doctype html><title>a</title><img src="../../assets/big.bin">') },
    { path: 'assets/style.css', content: text('body { font: 16px/1.5 serif }') },
    { path: 'assets/big.bin', content: pseudoRandom(1024 * 1024 * 2 + 123, 'big') },
  ])
}

/** A directory sharded into a HAMT: a low split threshold makes 300 entries enough. */
export async function hamtFixture(): Promise<Fixture> {
  const files = Array.from({ length: 300 }, (_, i) => ({ path: `entry-${i}.txt`, content: new TextEncoder().encode(`entry ${i}\n`) }))
  return importTree(files, { shardSplitThresholdBytes: 1024 })
}

/** The same small site under the old profile: CIDv0 and dag-pb leaves. */
export function v0Fixture(): Promise<Fixture> {
  return importTree(
    [
      { path: 'index.html', content: new TextEncoder().encode('<!doctype html><title>v0</title>') },
      { path: 'big.bin', content: pseudoRandom(300 * 1024, 'v0') },
    ],
    { profile: 'unixfs-v0-2015' },
  )
}

/** Whether a dag-pb block is a HAMT shard, to prove the fixture is what it claims. */
export async function isHamtShard(store: MemoryBlockstore, cid: CID): Promise<boolean> {
  const parts: Uint8Array[] = []
  for await (const part of store.get(cid)) parts.push(part)
  const node = dagPb.decode(Buffer.concat(parts))
  return node.Data !== undefined && UnixFS.unmarshal(node.Data).type === 'hamt-sharded-directory'
}

/**
 * A dag-cbor root linking to a raw block, a UnixFS directory and an identity CID (which a
 * gateway never sends): the walk must follow every codec.
 */
export async function cborFixture(): Promise<Fixture> {
  const site = await siteFixture()
  const leaf = new TextEncoder().encode('a raw leaf')
  const leafCid = CID.createV1(raw.code, await sha256.digest(leaf))
  await site.store.put(leafCid, leaf)
  const inline = CID.createV1(raw.code, identity.digest(new TextEncoder().encode('inline')))
  const rootBytes = dagCbor.encode({ site: site.root, leaf: leafCid, inline, note: 'not UnixFS' })
  const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
  await site.store.put(root, rootBytes)
  return measure(root, site.store)
}

/** A dag-cbor root linking to a block whose CID uses a hash function the verifier does not know. */
export async function unknownHashFixture(): Promise<{ fixture: Fixture; unknown: CID }> {
  const store = new MemoryBlockstore()
  const bytes = new TextEncoder().encode('hashed with something exotic')
  // 0xb220 is blake2b-256: a real multihash, just not one multiformats ships.
  const unknown = CID.createV1(raw.code, createDigest(0xb220, (await sha256.digest(bytes)).digest))
  await store.put(unknown, bytes)
  const rootBytes = dagCbor.encode({ exotic: unknown })
  const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
  await store.put(root, rootBytes)
  return { fixture: await measure(root, store), unknown }
}

/** A DFS list of the fixture's blocks as the verifier should see them: every CID reachable from the root. */
export async function dagCids(fixture: Fixture): Promise<CID[]> {
  const out: CID[] = []
  const seen = new Set<string>()
  const stack = [fixture.root]
  while (stack.length > 0) {
    const cid = stack.pop()!
    if (seen.has(cid.toString()) || cid.multihash.code === identity.code) continue
    seen.add(cid.toString())
    out.push(cid)
    const parts: Uint8Array[] = []
    for await (const part of fixture.store.get(cid)) parts.push(part)
    const bytes = Buffer.concat(parts)
    const links =
      cid.code === dagPb.code
        ? dagPb.decode(bytes).Links.map((l) => l.Hash)
        : cid.code === dagCbor.code
          ? Object.values(dagCbor.decode(bytes) as Record<string, unknown>).flatMap((v) => CID.asCID(v) ?? [])
          : []
    stack.push(...links.reverse())
  }
  return out
}
