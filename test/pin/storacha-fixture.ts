/** Shared by the `storacha` tests: a packed site, a CI agent with its proof, and a pinner for them. */
import * as Signer from '@ucanto/principal/ed25519'
import { CarBlockIterator } from '@ipld/car/iterator'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { pack } from '../../src/pack/index.ts'
import { walkDag } from '../../src/pack/walk.ts'
import { createStorachaPinner, type StorachaInit } from '../../src/pin/storacha.ts'
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

export function siteRequest(cid: CID): PinRequest {
  return { cid, name: 'blog', meta: { site: 'blog', kind: 'production' }, origins: [] }
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
  site: PackedSite,
  secrets: { key: string; proof: string },
  init: Partial<StorachaInit> = {},
  components: { fetch?: typeof fetch } = {},
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
