/**
 * Uploading a whole DAG to a w3up space, and asking the service what it registered.
 *
 * The CAR is the one `exportCar` streams from our blockstore (depth-first, deterministic),
 * cut into shards of `shardSize` by the client; each shard is a blob the service stores
 * under its hash. Because the same DAG always gives the same CAR bytes and the same cuts,
 * a shard the space already holds is not sent again: the service allocates nothing and
 * gives no upload URL (a re-run, or a re-pin after `unpin`, sends 0 bytes).
 *
 * A changed DAG moves every cut after its first changed block, so a whole upload of it
 * would send nearly everything again: when the previous deploy's upload is known,
 * storacha-incremental.ts sends only the blocks it lacks instead, and this whole upload is
 * the fallback. Either way the index the upload registered is kept as its record
 * (storacha-records.ts), so the next deploy knows where each of these blocks sits.
 */
import { randomUUID } from 'node:crypto'
import { ReadableStream } from 'node:stream/web'
import { indexShardedDAG } from '@web3-storage/blob-index'
import type { BlobLike, CARMetadata } from '@web3-storage/w3up-client/types'
import type { CID } from 'multiformats/cid'
import { exportCar } from '../pack/car.ts'
import type { BlockReader } from '../pack/walk.ts'
import { writeRecord } from './storacha-records.ts'
import type { Session } from './storacha-session.ts'

export interface UploadedDag {
  /** The root the client registered with `upload/add`. */
  root: string
  /** The CAR shards (`bagy...` CIDs) the upload is made of, in order. */
  shards: string[]
}

export interface UploadDagOptions {
  blockstore: BlockReader
  shardSize: number
  signal: AbortSignal
  /** Makes this upload's invocations unique (the service answers a repeated one from its receipt cache). */
  nonce: string
  /** Where to keep the upload's index as its record; nothing is kept without it. */
  recordDir: string | undefined
  /** After each shard is stored (sent, or already in the space). */
  onShard?: (shard: { cid: string; size: number }) => void
}

/** The CAR of the DAG under `root`, as the client reads it: a Blob-like with `stream()`. */
export function carSource(root: CID, blockstore: BlockReader, signal: AbortSignal): BlobLike {
  // Blob's type says ArrayBuffer-backed chunks; the client only reads their bytes.
  return { stream: () => ReadableStream.from(exportCar(root, { blockstore, signal })) as ReturnType<BlobLike['stream']> }
}

export async function uploadDag(session: Session, root: CID, options: UploadDagOptions): Promise<UploadedDag> {
  const stored: CARMetadata[] = []
  const registered = await session.client.uploadCAR(carSource(root, options.blockstore, options.signal), {
    shardSize: options.shardSize,
    signal: options.signal,
    nonce: options.nonce,
    fetch: session.fetch,
    // Our transport fetch already retried; a retry here would resend what just failed for good.
    retries: 0,
    onShardStored: (meta) => {
      stored.push(meta)
      options.onShard?.({ cid: meta.cid.toString(), size: meta.size })
    },
  })
  if (options.recordDir !== undefined) await keepRecord(options.recordDir, root, stored).catch(() => {})
  return { root: registered.toString(), shards: stored.map((meta) => meta.cid.toString()) }
}

/** The index `uploadCAR` registered, rebuilt byte for byte from what it reported of each shard (each one's slices include itself). */
async function keepRecord(dir: string, root: CID, stored: CARMetadata[]): Promise<void> {
  const index = await indexShardedDAG(
    root as Parameters<typeof indexShardedDAG>[0],
    stored.map((meta) => meta.cid),
    stored.map((meta) => meta.slices),
  )
  if (index.ok !== undefined) await writeRecord(dir, root, index.ok)
}

/** The upload the space holds for `root`, as the service records it; undefined when there is none. */
export async function findUpload(session: Session, root: CID, signal: AbortSignal): Promise<UploadedDag | undefined> {
  try {
    const found = await session.client.capability.upload.get(root, { signal, retries: 0, nonce: randomUUID() })
    return { root: found.root.toString(), shards: (found.shards ?? []).map((s) => s.toString()) }
  } catch (err) {
    if ((err as { cause?: { name?: string } }).cause?.name === 'UploadNotFound') return undefined
    throw err
  }
}
