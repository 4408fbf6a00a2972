/**
 * CAR responses (trustless gateway spec): the blocks that prove the path, then the
 * blocks `dag-scope` asks for at its end, depth-first (`order=dfs`), as a CARv1 stream.
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { BlockCodec } from 'multiformats'
import { createUnsafe } from 'multiformats/block'
import type { CID } from 'multiformats/cid'
import { GATEWAY_READ_AHEAD_BLOCKS, GATEWAY_READ_AHEAD_BYTES } from '../constants.ts'
import { blockKey } from './block-key.ts'
import type { BlockReader } from './blocks.ts'
import type { DirectBlockstore } from '../node/direct-store.ts'
import type { CarOptions } from './format.ts'
import { WalkReader } from './walk-reader.ts'

const IDENTITY = 0x00
const RAW = 0x55
const DAG_PB = 0x70

export interface CarBlock {
  cid: CID
  bytes: Uint8Array
}

/** A block to be read by whoever frames it, straight into the response (`readInto` of a `WalkReader`). */
export interface DeferredBlock {
  cid: CID
  length: number
  reader: Pick<WalkReader, 'readInto'>
}

export type CarItem = CarBlock | DeferredBlock

export interface CarSource {
  reader: BlockReader
  /** The store under Helia, read directly for `dag-scope=all`; `reader` serves what it lacks. */
  direct?: DirectBlockstore | undefined
  /** Called with each block read directly (`reader` reports its own reads). */
  onDirectRead?: () => void
  /** The node's codecs, to find the links of IPLD blocks other than dag-pb. */
  getCodec: (code: number) => BlockCodec<number, unknown> | Promise<BlockCodec<number, unknown>>
  signal: AbortSignal
}

const NO_LINKS: readonly CID[] = []

/** Bytes `from` to `to` (inclusive) of a file; undefined when the range holds no byte of it. */
export function resolveEntityBytes(range: NonNullable<CarOptions['entityBytes']>, size: number): { from: number; to: number } | undefined {
  const from = range.from < 0 ? Math.max(0, size + range.from) : range.from
  const to = Math.min(size - 1, range.to === '*' ? size - 1 : range.to < 0 ? size + range.to : range.to)
  return from > to || from >= size ? undefined : { from, to }
}

/** The blocks of a CAR response in the order they are sent. */
export async function* carBlocks(source: CarSource, pathBlocks: readonly CarBlock[], terminal: CID, options: CarOptions): AsyncGenerator<CarItem> {
  const seen = new Set<string>()
  // Identity CIDs carry their data in the CID: the spec keeps them out of CARs.
  const fresh = (cid: CID): boolean => {
    if (cid.multihash.code === IDENTITY) return false
    if (options.dups) return true
    const key = blockKey(cid)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }
  for (const block of pathBlocks) if (fresh(block.cid)) yield block
  if (options.scope === 'all') {
    yield* walkAll()
    return
  }
  const load = async (cid: CID): Promise<CarBlock> => ({ cid, bytes: await source.reader.block(cid, { signal: source.signal }) })
  const root = await load(terminal)

  if (options.scope === 'block') {
    if (fresh(root.cid)) yield root
    return
  }
  // entity: a whole file (or the part `entity-bytes` names), a directory's own blocks, else the block.
  const unixfs = root.cid.code === DAG_PB ? UnixFS.unmarshal(dagPb.decode(root.bytes).Data ?? new Uint8Array()) : undefined
  if (root.cid.code === RAW || unixfs?.type === 'file' || unixfs?.type === 'raw') {
    const size = unixfs === undefined ? root.bytes.length : Number(unixfs.fileSize())
    const range = options.entityBytes === undefined ? { from: 0, to: size - 1 } : resolveEntityBytes(options.entityBytes, size)
    if (range === undefined) {
      if (fresh(root.cid)) yield root
      return
    }
    yield* walkFile(root, 0, range)
  } else if (unixfs?.type === 'hamt-sharded-directory') {
    yield* walkShards(root, (Number(unixfs.fanout ?? 256n) - 1).toString(16).length)
  } else if (fresh(root.cid)) {
    yield root
  }

  /**
   * Everything under `terminal`, depth-first. Raw leaves (nearly all the bytes of a site)
   * that the store can read synchronously are deferred: the encoder reads them straight
   * into the response.
   */
  async function* walkAll(): AsyncGenerator<CarItem> {
    const { direct, reader, signal } = source
    const reads = new WalkReader({
      direct,
      read: (cid) => reader.block(cid, { signal }),
      ...(source.onDirectRead === undefined ? {} : { onRead: source.onDirectRead }),
      aheadBlocks: GATEWAY_READ_AHEAD_BLOCKS,
      aheadBytes: GATEWAY_READ_AHEAD_BYTES,
    })
    const stack: CID[] = [terminal]
    for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
      signal.throwIfAborted()
      let bytes: Uint8Array
      if (cid.multihash.code === IDENTITY) {
        // Its bytes are in the CID: never sent, but its links are followed.
        bytes = cid.multihash.digest
      } else if (!fresh(cid)) {
        // With dups=n a block seen before was sent with everything below it.
        reads.drop(cid)
        continue
      } else {
        const pause = reads.pause()
        if (pause !== undefined) await pause
        if (!reads.readsNow(cid)) bytes = await reads.take(cid, stack)
        else if (cid.code === RAW) {
          yield { cid, length: reads.length(cid), reader: reads }
          continue
        } else bytes = reads.readNow(cid)
        yield { cid, bytes }
      }
      const links = cid.code === RAW ? NO_LINKS : cid.code === DAG_PB ? dagPbLinks(bytes) : await linksOf({ cid, bytes })
      for (let i = links.length - 1; i >= 0; i--) stack.push(links[i] as CID)
    }
  }

  async function* walkFile(block: CarBlock, start: number, range: { from: number; to: number }): AsyncGenerator<CarBlock> {
    if (fresh(block.cid)) yield block
    if (block.cid.code !== DAG_PB) return
    const node = dagPb.decode(block.bytes)
    const file = UnixFS.unmarshal(node.Data ?? new Uint8Array())
    let position = start + (file.data?.length ?? 0)
    for (const [i, link] of node.Links.entries()) {
      const size = Number(file.blockSizes[i] ?? 0n)
      if (size > 0 && position <= range.to && position + size - 1 >= range.from) {
        yield* walkFile(await load(link.Hash), position, range)
      }
      position += size
    }
  }

  async function* walkShards(block: CarBlock, prefixLength: number): AsyncGenerator<CarBlock> {
    if (fresh(block.cid)) yield block
    // Links named by the bucket prefix alone are sub-shards; the others are the entries.
    for (const link of dagPb.decode(block.bytes).Links) {
      if (link.Name?.length === prefixLength) yield* walkShards(await load(link.Hash), prefixLength)
    }
  }

  async function linksOf(block: CarBlock): Promise<readonly CID[]> {
    if (block.cid.code === RAW) return NO_LINKS
    if (block.cid.code === DAG_PB) return dagPbLinks(block.bytes)
    const codec = await source.getCodec(block.cid.code)
    return [...createUnsafe({ cid: block.cid, bytes: block.bytes, codec }).links()].map(([, cid]) => cid)
  }
}

function dagPbLinks(bytes: Uint8Array): CID[] {
  return dagPb.decode(bytes).Links.map((link) => link.Hash)
}
