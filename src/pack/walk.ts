/**
 * Depth-first traversal of a UnixFS DAG from its root, each block once, in the order a
 * trustless gateway returns `?format=car&dag-scope=all&order=dfs&dups=n`: a node, then
 * its links in order, recursively.
 */
import * as dagPb from '@ipld/dag-pb'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { PackError } from '../errors.ts'

export interface Block {
  cid: CID
  bytes: Uint8Array
}

export type BlockReader = Pick<Blockstore, 'get'>

/** The whole block: interface-blockstore 7 streams a block as chunks. */
export async function readBlock(blockstore: BlockReader, cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  try {
    for await (const part of blockstore.get(cid, { signal })) parts.push(part)
  } catch (err) {
    throw missingAsPackError(cid, err)
  }
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts)
}

/** A store's NotFoundError, said the way pack says it; other errors as they are. */
export function missingAsPackError(cid: CID, err: unknown): unknown {
  if ((err as Error).name !== 'NotFoundError') return err
  return new PackError(`block ${cid} is not in the block store; pack the site again to store it`, { cause: err })
}

/** A set key for a CID: its bytes, not `cid.toString()`, which caches a base32 string on every CID. */
export function cidKey(cid: CID): string {
  return Buffer.from(cid.bytes.buffer, cid.bytes.byteOffset, cid.bytes.byteLength).toString('latin1')
}

/**
 * A set key for a block: its multihash bytes as latin1, so a block stored under CIDv0 and
 * CIDv1 (or as raw and dag-pb) is one key, as it is one block in the store.
 */
export function multihashKey(cid: CID): string {
  const mh = cid.multihash.bytes
  return Buffer.from(mh.buffer, mh.byteOffset, mh.byteLength).toString('latin1')
}

/** The links of a block, in the order they appear. */
export function linksOf(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === raw.code) return []
  if (cid.code === dagPb.code) return dagPb.decode(bytes).Links.map((link) => link.Hash)
  throw new PackError(`block ${cid} has codec 0x${cid.code.toString(16)}, which is not part of a UnixFS DAG`)
}

export async function* walkDag(root: CID, blockstore: BlockReader, signal?: AbortSignal): AsyncGenerator<Block> {
  const seen = new Set<string>()
  const stack: CID[] = [root]
  for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
    signal?.throwIfAborted()
    const key = cidKey(cid)
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = await readBlock(blockstore, cid, signal)
    yield { cid, bytes }
    const links = linksOf(cid, bytes)
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i] as CID)
  }
}
