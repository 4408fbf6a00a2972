/**
 * Garbage collection, mark and sweep: walk every pinned DAG in the local store, then
 * delete every stored block none of them reached. A pinned DAG with a block missing
 * stops the collection, since the blocks below the hole could not be told apart from
 * garbage.
 */
import type { CodecLoader } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import { base64 } from 'multiformats/bases/base64'
import { NodeError } from '../errors.ts'
import type { NodeProgressEvents, ProgressOptions } from '../events.ts'
import { multihashKey } from '../pack/walk.ts'
import type { CompleteBlocks } from './complete.ts'
import { type BlockSource, walkDags } from './walk.ts'

export interface GcOptions extends AbortOptions, ProgressOptions<NodeProgressEvents> {}

export interface GcResult {
  /** Pinned roots whose DAGs were kept. */
  pins: number
  /** Blocks kept because a pin reaches them. */
  kept: number
  /** Blocks deleted. */
  blocks: number
  /** Bytes of block data deleted. */
  bytes: number
}

export interface GcComponents {
  /** The local store itself, never the networked view: marking must not fetch. */
  blockstore: Blockstore
  getCodec: CodecLoader
  /** Every root to keep: local pins, and pins other modules made through `helia.pins`. */
  roots: (options: AbortOptions) => Promise<CID[]>
  /** Set to exactly the blocks kept, whose DAGs the marking found whole. */
  complete: CompleteBlocks
}

/** Blocks are stored by multihash: CIDs that differ only in version or codec share a block. */
function blockKey(cid: CID): string {
  return base64.baseEncode(cid.multihash.bytes)
}

function localSource(blockstore: Blockstore): BlockSource {
  return {
    load: async (cid, options) => {
      const parts: Uint8Array[] = []
      for await (const chunk of blockstore.get(cid, options)) parts.push(chunk)
      return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts)
    },
    // A raw leaf has no links: whether or not it is there changes nothing to mark.
    leaf: async () => {},
  }
}

/** Callers hold every lock that keeps new blocks and new pins out while this runs. */
export async function collectGarbage(components: GcComponents, options: GcOptions = {}): Promise<GcResult> {
  const { blockstore, getCodec } = components
  const roots = await components.roots(options)
  const reachable = new Set<string>()
  try {
    await walkDags(roots, localSource(blockstore), getCodec, {
      signal: options.signal,
      onBlock: (cid) => reachable.add(blockKey(cid)),
    })
  } catch (err) {
    if (options.signal?.aborted === true) throw err
    throw new NodeError(
      `garbage collection stopped before deleting anything: a pinned DAG is incomplete in the local store (${(err as Error).message}); unpin it or pin it again`,
      { cause: err },
    )
  }
  options.onProgress?.({ type: 'node:gc:marked', detail: { pins: roots.length, blocks: reachable.size } })

  const doomed: Array<{ cid: CID; bytes: number }> = []
  const keptKeys: string[] = []
  for await (const { cid, bytes } of blockstore.getAll(options)) {
    if (reachable.has(blockKey(cid))) {
      keptKeys.push(multihashKey(cid))
      continue
    }
    let size = 0
    for await (const chunk of bytes) size += chunk.byteLength
    doomed.push({ cid, bytes: size })
  }

  // Before any delete: from here on, only what is kept may count as whole. A reached raw
  // leaf that is not stored (marking does not read leaves) leaves nothing known whole.
  await components.complete.replace(keptKeys.length === reachable.size ? keptKeys : [], options)
  const kept = keptKeys.length
  let freed = 0
  let deleted = 0
  // Collected first and deleted after, so no store has to survive deletes under a running scan.
  for (const { cid, bytes } of doomed) {
    options.signal?.throwIfAborted()
    await blockstore.delete(cid, options)
    deleted++
    freed += bytes
    options.onProgress?.({ type: 'node:gc:deleted', detail: { cid: cid.toString(), bytes } })
  }
  return { pins: roots.length, kept, blocks: deleted, bytes: freed }
}
