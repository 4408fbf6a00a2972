/** Shared by the `storacha` tests: a packed site, a CI agent with its proof, and a pinner for them. */
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Signer from '@ucanto/principal/ed25519'
import { CarBlockIterator } from '@ipld/car/iterator'
import { ShardedDAGIndex } from '@web3-storage/blob-index'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { pack } from '../../src/pack/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import { createStorachaPinner, type StorachaComponents, type StorachaInit } from '../../src/pin/storacha.ts'
import type { Pinner, PinRequest } from '../../src/pin/types.ts'
import { spaceForCi, type W3upService } from '../helpers/w3up-service.ts'

export const SITE_DIR = new URL('../fixtures/sites/blogs', import.meta.url).pathname

export interface PackedSite {
  blockstore: MemoryBlockstore
  cid: CID
  /** Every block of the DAG, by CID string. */
  blocks: Map<string, Uint8Array>
}

export async function packedSite(): Promise<PackedSite> {
  const blockstore = new MemoryBlockstore()
  const { cid } = await pack(SITE_DIR, { blockstore })
  const blocks = new Map<string, Uint8Array>()
  for await (const block of walkDag(cid, blockstore)) blocks.set(block.cid.toString(), block.bytes)
  return { blockstore, cid, blocks }
}

export function siteRequest(cid: CID, previous?: CID): PinRequest {
  return { cid, name: 'blog', meta: { site: 'blog', kind: 'production' }, origins: [], ...(previous === undefined ? {} : { previous }) }
}

/** A CI agent: its key as `w3 key create` prints it (the secret) and its DID. */
export interface CiAgent {
  key: string
  did: `did:key:${string}`
}

export async function ciAgent(): Promise<CiAgent> {
  const signer = await Signer.generate()
  return { key: Signer.format(signer), did: signer.did() }
}

/** A pinner for `agent` with `proof`, talking to `service`, as the config would make it. */
export function storachaPinner(
  service: W3upService,
  site: Pick<PackedSite, 'blockstore'>,
  secrets: { key: string; proof: string },
  init: Partial<StorachaInit> = {},
  components: Omit<StorachaComponents, 'blockstore'> = {},
): Pinner {
  return createStorachaPinner(
    { blockstore: site.blockstore, ...components },
    {
      name: 'storacha',
      agentKey: secrets.key,
      proof: secrets.proof,
      agentKeyEnv: 'W3_PRINCIPAL',
      proofEnv: 'W3_PROOF',
      serviceUrl: service.url.href,
      serviceDid: service.did,
      ...init,
    },
  )
}

/** A CI agent whose proof delegates a fresh, provisioned space to it. */
export async function agentWithSpace(service: W3upService, options: Omit<Parameters<typeof spaceForCi>[1], 'agent'> = {}) {
  const agent = await ciAgent()
  const { space, proof } = await spaceForCi(service, { ...options, agent: agent.did })
  return { agent, space, secrets: { key: agent.key, proof } }
}

/**
 * The blocks the service really holds for an upload: each shard read back from the
 * service's blob store, parsed as a CAR, every block's hash checked.
 */
/** A shard's CID as the service's multiformats (another major version than ours) types it. */
type ShardLink = { multihash: { code: number; size: number; digest: Uint8Array; bytes: Uint8Array } }

export async function storedBlocks(service: W3upService, shards: ShardLink[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>()
  for (const shard of shards) {
    const digest = shard.multihash as Parameters<W3upService['context']['blobRetriever']['stream']>[0]
    const stream = await service.context.blobRetriever.stream(digest)
    if (stream.error) throw new Error(`shard ${String(shard)} is not in the service's blob store`)
    const chunks: Uint8Array[] = []
    for await (const chunk of stream.ok as AsyncIterable<Uint8Array>) chunks.push(chunk)
    for await (const block of await CarBlockIterator.fromBytes(Buffer.concat(chunks))) {
      const digest = await sha256.digest(block.bytes)
      if (!Buffer.from(digest.bytes).equals(Buffer.from(block.cid.multihash.bytes))) throw new Error(`block ${block.cid} does not match its hash`)
      out.set(block.cid.toString(), block.bytes)
    }
  }
  return out
}

/** The size of each big asset `siteVersions` adds: one raw leaf each (the default profile's chunks are 1 MiB). */
export const BIG_ASSET_BYTES = 300 * 1024

/**
 * A shard size that holds one big asset's block and nothing more (its CID and varint take
 * 39 bytes, the CAR header 18): each big asset gets a shard of its own.
 */
export const SHARD_PER_BIG_ASSET = BIG_ASSET_BYTES + 60

export interface SiteVersions {
  /** Holds the blocks of every version. */
  blockstore: MemoryBlockstore
  /** The fixture blog with three big assets. */
  v1: CID
  /** v1 with one post changed. */
  v2: CID
  /** v2 with another post changed and one big asset removed. */
  v3: CID
  /** Every block of a version, by CID string. */
  blocks(root: CID): Promise<Map<string, Uint8Array>>
}

/** Bytes that do not compress, the same on every run. */
function noise(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** Three versions of a site packed into one store, as three deploys in a row leave it. */
export async function siteVersions(): Promise<SiteVersions> {
  const dir = await mkdtemp(join(tmpdir(), 'storacha-site-'))
  try {
    await cp(SITE_DIR, dir, { recursive: true })
    for (const n of [1, 2, 3]) await writeFile(join(dir, 'assets', `big-${n}.bin`), noise(BIG_ASSET_BYTES, n))
    const blockstore = new MemoryBlockstore()
    const v1 = (await pack(dir, { blockstore })).cid
    await appendFile(join(dir, 'posts', 'hello.md'), '\nOne more line, in the second deploy.\n')
    const v2 = (await pack(dir, { blockstore })).cid
    await appendFile(join(dir, 'posts', 'bonjour.md'), '\nEt une ligne de plus.\n')
    await rm(join(dir, 'assets', 'big-3.bin'))
    const v3 = (await pack(dir, { blockstore })).cid
    const blocks = async (root: CID) => {
      const out = new Map<string, Uint8Array>()
      for await (const block of walkDag(root, blockstore)) out.set(block.cid.toString(), block.bytes)
      return out
    }
    return { blockstore, v1, v2, v3, blocks }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A claim as the test service's claims store decodes it: only what retrieval reads. */
interface ReadClaim {
  type: string
  index?: { multihash: ShardLink['multihash'] }
  location?: string[]
}

async function claims(service: W3upService, digest: ShardLink['multihash']): Promise<ReadClaim[]> {
  const read = await service.context.claimsService.read(digest as Parameters<W3upService['context']['claimsService']['read']>[0])
  if (read.error) throw new Error(`the claims service could not be read: ${read.error.message}`)
  return read.ok as unknown as ReadClaim[]
}

/** A blob fetched from where the service's location claim for it says it is. */
async function fetchBlob(service: W3upService, digest: ShardLink['multihash']): Promise<Uint8Array> {
  const url = (await claims(service, digest)).find((c) => c.type === 'assert/location')?.location?.[0]
  if (url === undefined) throw new Error('no location claim for a blob')
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (!Buffer.from((await sha256.digest(bytes)).bytes).equals(Buffer.from(digest.bytes))) throw new Error(`${url} does not hash to its blob`)
  return bytes
}

/**
 * The blocks of the DAG under `root` read the way a w3up gateway reads them: the content
 * claims name the index registered for `root`, the index (fetched from its location claim)
 * gives each block's shard and byte range, and each shard is fetched from its location
 * claim. Every range is hash-checked against its block's multihash. Returns the blocks by
 * multihash (base64 of its bytes) and the number of index claims for `root`.
 */
export async function readThroughIndex(service: W3upService, root: CID): Promise<{ blocks: Map<string, Uint8Array>; indexes: number }> {
  const indexClaims = (await claims(service, root.multihash)).filter((c) => c.type === 'assert/index')
  const link = indexClaims.at(-1)?.index
  if (link === undefined) throw new Error(`no index claim for ${root}`)
  const extracted = ShardedDAGIndex.extract(await fetchBlob(service, link.multihash))
  if (extracted.error) throw new Error(`the index of ${root} does not decode: ${extracted.error.message}`)
  if (!Buffer.from(extracted.ok.content.bytes).equals(root.bytes)) throw new Error(`the index is about ${extracted.ok.content}, not ${root}`)
  const blocks = new Map<string, Uint8Array>()
  for (const [shard, slices] of extracted.ok.shards) {
    const bytes = await fetchBlob(service, shard)
    for (const [slice, [offset, length]] of slices) {
      const block = bytes.subarray(offset, offset + length)
      if (!Buffer.from((await sha256.digest(block)).bytes).equals(Buffer.from(slice.bytes))) throw new Error(`bytes ${offset}+${length} of a shard are not the block the index says`)
      blocks.set(Buffer.from(slice.bytes).toString('base64'), block)
    }
  }
  return { blocks, indexes: indexClaims.length }
}
