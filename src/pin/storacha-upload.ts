/**
 * Uploading a DAG to a w3up space, and asking the service what it registered.
 *
 * The CAR is the one `exportCar` streams from our blockstore (depth-first, deterministic),
 * cut into shards of `shardSize` by the client; each shard is a blob the service stores
 * under its hash. Because the same DAG always gives the same CAR bytes and the same cuts,
 * a shard the space already holds is not sent again: the service allocates nothing and
 * gives no upload URL (a re-run, or a re-pin after `unpin`, sends 0 bytes).
 *
 * What this does not do yet: send only the blocks a space lacks when the DAG changed.
 * Every cut after the first changed block moves, so the rest of the CAR is sent again.
 * That needs shards cut by content (so unchanged runs of blocks give byte-identical
 * shards) and an index pointing each block at the shard that holds it, old or new.
 * `uploadCAR` builds its index from the shards it cuts itself, so that step would replace
 * the `uploadCAR` call below with the client's `space/blob/add` per new shard, then
 * `space/index/add` and `upload/add` listing old and new shards; `carSource` and
 * `uploadDag` are the seam, and a set of already-uploaded CIDs would be its input.
 */
import { randomUUID } from 'node:crypto'
import { ReadableStream } from 'node:stream/web'
import type { BlobLike } from '@web3-storage/w3up-client/types'
import type { CID } from 'multiformats/cid'
import { exportCar } from '../pack/car.ts'
import type { BlockReader } from '../pack/walk.ts'
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
  /** After each shard is stored (sent, or already in the space). */
  onShard?: (shard: { cid: string; size: number }) => void
}

/** The CAR of the DAG under `root`, as the client reads it: a Blob-like with `stream()`. */
export function carSource(root: CID, blockstore: BlockReader, signal: AbortSignal): BlobLike {
  // Blob's type says ArrayBuffer-backed chunks; the client only reads their bytes.
  return { stream: () => ReadableStream.from(exportCar(root, { blockstore, signal })) as ReturnType<BlobLike['stream']> }
}

export async function uploadDag(session: Session, root: CID, options: UploadDagOptions): Promise<UploadedDag> {
  const shards: string[] = []
  const registered = await session.client.uploadCAR(carSource(root, options.blockstore, options.signal), {
    shardSize: options.shardSize,
    signal: options.signal,
    nonce: options.nonce,
    fetch: session.fetch,
    // Our transport fetch already retried; a retry here would resend what just failed for good.
    retries: 0,
    onShardStored: (meta) => {
      shards.push(meta.cid.toString())
      options.onShard?.({ cid: meta.cid.toString(), size: meta.size })
    },
  })
  return { root: registered.toString(), shards }
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
