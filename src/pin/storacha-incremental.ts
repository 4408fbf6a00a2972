/**
 * An incremental upload: the DAG under `root`, built on the upload of `previous` that the
 * space already holds. Blocks that upload's shards hold (its layout, storacha-layout.ts)
 * are pointed at where they are; only the others are sent, cut into new shards by the
 * client's own `ShardingStream` (`shardSize`), each stored with `space/blob/add` and offered
 * for a Filecoin deal, as `uploadCAR` does. Then one sharded DAG index, in the format
 * `uploadCAR` registers, maps every block of the DAG to its shard and byte range, old or
 * new (`space/blob/add` + `space/index/add`), and `upload/add` registers the root with the
 * old shards it uses and the new ones. Readers find blocks through that index, whichever
 * upload first sent them.
 */
import { randomUUID } from 'node:crypto'
import * as dagPb from '@ipld/dag-pb'
import { ShardedDAGIndex } from '@web3-storage/blob-index'
import * as PieceHasher from '@web3-storage/data-segment/multihash'
import { ShardingStream } from '@web3-storage/upload-client'
import type { CARLink, UnknownLink } from '@web3-storage/w3up-client/types'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { type BlockReader, cidKey, linksOf, readBlock } from '../pack/walk.ts'
import { CAR_CODE, digestKey, type Layout, locate, type Place } from './storacha-layout.ts'
import { writeRecord } from './storacha-records.ts'
import type { Session } from './storacha-session.ts'
import { findUpload, type UploadedDag } from './storacha-upload.ts'

export interface DeltaPlan {
  /** Blocks to send, in the DAG's depth-first order (the order of its CAR). */
  fresh: CID[]
  /** Blocks the space holds already, and where. */
  reused: Array<{ cid: CID; place: Place }>
  newBytes: number
  reusedBytes: number
}

export interface IncrementalOptions {
  blockstore: BlockReader
  shardSize: number
  signal: AbortSignal
  /** Where upload records are kept (storacha-records.ts); none are read or written without it. */
  recordDir: string | undefined
  /** Once the blocks to send are known, before any is sent. */
  onPlan?: (plan: DeltaPlan) => void
  /** After each new shard is stored (sent, or already in the space). */
  onShard?: (shard: { cid: string; size: number }) => void
}

/** Uploads `root` built on the upload of `previous`; a reason instead when it cannot, and the caller uploads everything. */
export async function uploadIncremental(session: Session, root: CID, previous: CID, options: IncrementalOptions): Promise<UploadedDag | string> {
  const held = await findUpload(session, previous, options.signal)
  if (held === undefined) return 'the space holds no upload of the previous deploy'
  const shards = held.shards.map((s) => CID.parse(s))
  const layout = await locate(previous, shards, { dir: options.recordDir, blockstore: options.blockstore, shardSize: options.shardSize, signal: options.signal })
  if (typeof layout === 'string') return layout
  const plan = await planDelta(root, layout, options.blockstore, options.signal)
  if (plan.reused.length === 0) return "the previous upload holds none of the new DAG's blocks"
  options.onPlan?.(plan)
  try {
    return await uploadDelta(session, root, plan, shards, options)
  } catch (err) {
    // The upload listed a shard that has since been removed from the space (`space/blob/remove`).
    if (causeNames(err).includes('ShardNotFound')) return "the space no longer holds one of the previous upload's shards"
    throw err
  }
}

/** Walks the new DAG: what the layout holds is reused, the rest is to send. Raw leaves are neither read nor hashed here. */
export async function planDelta(root: CID, layout: Layout, blockstore: BlockReader, signal: AbortSignal): Promise<DeltaPlan> {
  const plan: DeltaPlan = { fresh: [], reused: [], newBytes: 0, reusedBytes: 0 }
  const seen = new Set<string>()
  // A raw leaf's length is its parent link's Tsize.
  const stack: Array<{ cid: CID; size: number | undefined }> = [{ cid: root, size: undefined }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    signal.throwIfAborted()
    const { cid, size } = item
    const key = cidKey(cid)
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = cid.code === raw.code && size !== undefined ? undefined : await readBlock(blockstore, cid, signal)
    const length = bytes?.byteLength ?? size ?? 0
    const place = layout.blocks.get(digestKey(cid.multihash))
    // Same multihash, same bytes: a length that differs means a damaged record, not to be pointed at.
    if (place !== undefined && place.length === length) {
      plan.reused.push({ cid, place })
      plan.reusedBytes += length
    } else {
      plan.fresh.push(cid)
      plan.newBytes += length
    }
    if (bytes === undefined) continue
    const links = cid.code === dagPb.code ? dagPb.decode(bytes).Links : linksOf(cid, bytes).map((Hash) => ({ Hash, Tsize: undefined }))
    for (let i = links.length - 1; i >= 0; i--) {
      const link = links[i] as { Hash: CID; Tsize?: number | undefined }
      stack.push({ cid: link.Hash, size: link.Tsize })
    }
  }
  return plan
}

async function uploadDelta(session: Session, root: CID, plan: DeltaPlan, order: CID[], options: IncrementalOptions): Promise<UploadedDag> {
  const { signal } = options
  const index = ShardedDAGIndex.create(root as UnknownLink)
  const used = new Set<string>()
  for (const { cid, place } of plan.reused) {
    index.setSlice(place.shard.cid.multihash, cid.multihash, [place.offset, place.length])
    if (used.has(place.shard.cid.toString())) continue
    used.add(place.shard.cid.toString())
    // Each shard is also a slice of itself, as `uploadCAR` indexes it.
    if (place.shard.size !== undefined) index.setSlice(place.shard.cid.multihash, place.shard.cid.multihash, [0, place.shard.size])
  }
  const added: CID[] = []
  if (plan.fresh.length > 0) {
    await readAll(plan.fresh, options.blockstore, signal)
      .pipeThrough(new ShardingStream({ shardSize: options.shardSize, rootCID: root as UnknownLink }))
      .pipeTo(
        new WritableStream({
          async write(car) {
            const bytes = new Uint8Array(await car.arrayBuffer())
            const shard = await storeShard(session, bytes, signal)
            for (const [slice, position] of car.slices) index.setSlice(shard.multihash, slice, position)
            index.setSlice(shard.multihash, shard.multihash, [0, bytes.byteLength])
            added.push(shard)
            options.onShard?.({ cid: shard.toString(), size: bytes.byteLength })
          },
        }),
        { signal },
      )
  }
  const archived = await index.archive()
  if (archived.error !== undefined) throw new Error(`the index of ${root} could not be encoded`, { cause: archived.error })
  const stored = await session.client.capability.blob.add(new Blob([archived.ok as Uint8Array<ArrayBuffer>]), request(session, signal))
  await session.client.capability.index.add(CID.createV1(CAR_CODE, Digest.decode(stored.digest.bytes)) as unknown as CARLink, request(session, signal))
  // Before upload/add: once the upload exists a re-run stops at "already there", and the next deploy needs this record.
  if (options.recordDir !== undefined) await writeRecord(options.recordDir, root, archived.ok).catch(() => {})
  const shards = [...order.filter((s) => used.has(s.toString())), ...added]
  await session.client.capability.upload.add(root as UnknownLink, shards as unknown as CARLink[], request(session, signal))
  return { root: root.toString(), shards: shards.map((s) => s.toString()) }
}

/** The blocks, read one at a time as the sharder asks for them. */
function readAll(cids: CID[], blockstore: BlockReader, signal: AbortSignal): ReadableStream<{ cid: CID; bytes: Uint8Array }> {
  let next = 0
  return new ReadableStream({
    async pull(controller) {
      const cid = cids[next++]
      if (cid === undefined) controller.close()
      else controller.enqueue({ cid, bytes: await readBlock(blockstore, cid, signal) })
    },
  })
}

/** Stores one shard in the space (nothing is sent when the space holds it already) and offers it for a Filecoin deal. */
async function storeShard(session: Session, bytes: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<CID> {
  const { digest } = await session.client.capability.blob.add(new Blob([bytes]), request(session, signal))
  const content = CID.createV1(raw.code, Digest.decode(digest.bytes))
  const piece = CID.createV1(raw.code, Digest.decode(PieceHasher.digest(bytes).bytes))
  const offered = await session.client.capability.filecoin.offer(content as UnknownLink, piece as unknown as Parameters<Session['client']['capability']['filecoin']['offer']>[1], {
    nonce: randomUUID(),
  })
  if (offered.out.error !== undefined) throw new Error('failed to offer a shard for a Filecoin deal', { cause: offered.out.error })
  return CID.createV1(CAR_CODE, Digest.decode(digest.bytes))
}

function request(session: Session, signal: AbortSignal) {
  // Our transport fetch already retried; a fresh nonce, or the service answers from its receipt cache.
  return { fetch: session.fetch, signal, retries: 0, nonce: randomUUID() }
}

function causeNames(err: unknown): string[] {
  const names: string[] = []
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 10; depth++) {
    names.push(String((e as { name?: unknown }).name))
    e = (e as { cause?: unknown }).cause
  }
  return names
}
