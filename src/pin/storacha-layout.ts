/**
 * Where the blocks of an upload the space already holds sit: for each block, the shard that
 * holds it and its byte range there. An incremental upload points its index at these places
 * instead of sending the blocks again. Only shards the service lists for that upload are
 * used, so every place named is in the space.
 *
 * Two ways to know, tried in turn:
 * - The upload's record (storacha-records.ts): the index we registered with it. Cheap, and
 *   the only way for an upload that was itself incremental, whose shards were cut from
 *   several DAGs.
 * - Cutting the previous DAG's CAR again exactly as `uploadCAR` did (the client's own
 *   `ShardingStream`, same shard size), from our block store. No byte leaves the machine,
 *   and a cut whose hash is one the upload lists IS that shard, byte for byte: its block
 *   positions are proven, not trusted. It needs no state (a fresh CI cache, uploads made
 *   before records existed), but only works for an upload that was made whole with this
 *   `shardSize`, from blocks that are all still in the store.
 */
import { ShardedDAGIndex } from '@web3-storage/blob-index'
import { CAR, ShardingStream } from '@web3-storage/upload-client'
import type { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { PackError } from '../errors.ts'
import type { BlockReader } from '../pack/walk.ts'
import { readRecord } from './storacha-records.ts'
import { carSource } from './storacha-upload.ts'

/** The multicodec of a CAR: a shard's CID is a CAR CID (`bagy...`). */
export const CAR_CODE = 0x0202

/** A shard of an upload: its CAR CID (`bagy...`) and size, when known. */
export interface Shard {
  cid: CID
  size: number | undefined
}

/** A block's bytes: `length` bytes from `offset` in `shard`. */
export interface Place {
  shard: Shard
  offset: number
  length: number
}

export interface Layout {
  /** How it was found, for events and messages. */
  source: 'record' | 'recut'
  /** By the block's multihash (`digestKey`). */
  blocks: Map<string, Place>
}

/** A map key for a multihash (a block's, or a shard's): its bytes. */
export function digestKey(multihash: { bytes: Uint8Array }): string {
  const { bytes } = multihash
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

export interface LocateOptions {
  /** The records folder; without one, only the recut is tried. */
  dir: string | undefined
  blockstore: BlockReader
  shardSize: number
  signal: AbortSignal
}

/** Where the blocks of `previous` sit in `shards` (its upload's, as the service lists them), or why that is not known. */
export async function locate(previous: CID, shards: CID[], options: LocateOptions): Promise<Layout | string> {
  const listed = new Map(shards.map((s) => [digestKey(s.multihash), s]))
  if (options.dir !== undefined) {
    const recorded = await fromRecord(options.dir, previous, listed)
    if (recorded !== undefined) return recorded
  }
  const unrecorded = options.dir === undefined ? 'no folder for upload records was given' : 'there is no usable record of the previous upload'
  let recut: Layout
  try {
    recut = await byRecut(previous, listed, options)
  } catch (err) {
    if (err instanceof PackError) return `${unrecorded}, and the previous deploy cannot be cut again from the block store (${err.message})`
    throw err
  }
  if (recut.blocks.size > 0) return recut
  return `${unrecorded}, and none of the previous upload's ${shards.length} shard(s) is a CAR this target cuts from the previous deploy (it was uploaded by another tool, with another \`shardSize\`, or incrementally)`
}

/** The record's places in the listed shards; undefined when there is no record, or it is unreadable or not about `previous`. */
async function fromRecord(dir: string, previous: CID, listed: Map<string, CID>): Promise<Layout | undefined> {
  const bytes = await readRecord(dir, previous).catch(() => undefined)
  if (bytes === undefined) return undefined
  let index: ReturnType<typeof ShardedDAGIndex.create>
  try {
    const extracted = ShardedDAGIndex.extract(bytes)
    if (extracted.error !== undefined) return undefined
    index = extracted.ok
  } catch {
    return undefined
  }
  if (!Buffer.from(index.content.bytes).equals(previous.bytes)) return undefined
  const blocks = new Map<string, Place>()
  for (const [shardDigest, slices] of index.shards) {
    const shardKey = digestKey(shardDigest)
    const cid = listed.get(shardKey)
    if (cid === undefined) continue
    // The index lists each shard as a slice of itself, from 0: that gives its size.
    const shard: Shard = { cid, size: slices.get(shardDigest)?.[1] }
    for (const [slice, [offset, length]] of slices) {
      const key = digestKey(slice)
      if (key !== shardKey) blocks.set(key, { shard, offset, length })
    }
  }
  return blocks.size > 0 ? { source: 'record', blocks } : undefined
}

/** The CAR of `previous` cut as `uploadCAR` cuts it; the places in the cuts the upload lists. */
async function byRecut(previous: CID, listed: Map<string, CID>, options: LocateOptions): Promise<Layout> {
  const blocks = new Map<string, Place>()
  const stream = new CAR.BlockStream(carSource(previous, options.blockstore, options.signal))
  const [rootCID] = await stream.getRoots()
  await stream.pipeThrough(new ShardingStream({ shardSize: options.shardSize, ...(rootCID === undefined ? {} : { rootCID }) })).pipeTo(
    new WritableStream({
      async write(car) {
        const bytes = new Uint8Array(await car.arrayBuffer())
        const cid = listed.get(digestKey(await sha256.digest(bytes)))
        if (cid === undefined) return
        const shard: Shard = { cid, size: bytes.byteLength }
        for (const [slice, [offset, length]] of car.slices) blocks.set(digestKey(slice), { shard, offset, length })
      },
    }),
    { signal: options.signal },
  )
  return { source: 'recut', blocks }
}
