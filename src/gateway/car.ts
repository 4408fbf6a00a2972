/**
 * CAR responses (trustless gateway spec): the blocks that prove the path, then the
 * blocks `dag-scope` asks for at its end, depth-first (`order=dfs`), as a CARv1 stream.
 */
import { close, createWriter, headerLength } from '@ipld/car/buffer-writer'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { type BlockCodec, varint } from 'multiformats'
import { createUnsafe } from 'multiformats/block'
import type { CID } from 'multiformats/cid'
import type { BlockReader } from './blocks.ts'
import type { CarOptions } from './format.ts'

const IDENTITY = 0x00
const RAW = 0x55
const DAG_PB = 0x70

export interface CarBlock {
  cid: CID
  bytes: Uint8Array
}

export interface CarSource {
  reader: BlockReader
  /** The node's codecs, to find the links of IPLD blocks other than dag-pb. */
  getCodec: (code: number) => BlockCodec<number, unknown> | Promise<BlockCodec<number, unknown>>
  signal: AbortSignal
}

/** Bytes `from` to `to` (inclusive) of a file; undefined when the range holds no byte of it. */
export function resolveEntityBytes(range: NonNullable<CarOptions['entityBytes']>, size: number): { from: number; to: number } | undefined {
  const from = range.from < 0 ? Math.max(0, size + range.from) : range.from
  const to = Math.min(size - 1, range.to === '*' ? size - 1 : range.to < 0 ? size + range.to : range.to)
  return from > to || from >= size ? undefined : { from, to }
}

/** The blocks of a CAR response in the order they are sent. */
export async function* carBlocks(source: CarSource, pathBlocks: readonly CarBlock[], terminal: CID, options: CarOptions): AsyncGenerator<CarBlock> {
  const seen = new Set<string>()
  // Identity CIDs carry their data in the CID: the spec keeps them out of CARs.
  const fresh = (cid: CID): boolean => {
    if (cid.multihash.code === IDENTITY) return false
    if (options.dups) return true
    const key = cid.toString()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }
  for (const block of pathBlocks) if (fresh(block.cid)) yield block
  const load = async (cid: CID): Promise<CarBlock> => ({ cid, bytes: await source.reader.block(cid, { signal: source.signal }) })
  const root = await load(terminal)

  if (options.scope === 'block') {
    if (fresh(root.cid)) yield root
    return
  }
  if (options.scope === 'all') {
    yield* walkAll(root)
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

  async function* walkAll(block: CarBlock): AsyncGenerator<CarBlock> {
    if (block.cid.multihash.code !== IDENTITY) {
      // With dups=n a block seen before was sent with everything below it.
      if (!fresh(block.cid)) return
      yield block
    }
    for (const link of await linksOf(block)) yield* walkAll(await load(link))
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

  async function linksOf(block: CarBlock): Promise<CID[]> {
    if (block.cid.code === RAW) return []
    if (block.cid.code === DAG_PB) return dagPb.decode(block.bytes).Links.map((l) => l.Hash)
    const codec = await source.getCodec(block.cid.code)
    return [...createUnsafe({ cid: block.cid, bytes: block.bytes, codec }).links()].map(([, cid]) => cid)
  }
}

/** A CARv1 stream: the header naming `root`, then each block framed as varint length, CID, data. */
export async function* encodeCar(root: CID, blocks: AsyncIterable<CarBlock>): AsyncGenerator<Uint8Array> {
  const roots = [root]
  yield close(createWriter(new ArrayBuffer(headerLength({ roots })), { roots }))
  for await (const { cid, bytes } of blocks) {
    const length = cid.bytes.length + bytes.length
    const prefix = varint.encodeTo(length, new Uint8Array(varint.encodingLength(length)))
    yield Buffer.concat([prefix, cid.bytes, bytes])
  }
}
