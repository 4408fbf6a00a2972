/**
 * Appends records to one pack file. Puts are coalesced in memory and written in large
 * batches by the thread pool, so writing overlaps with the hashing on the main thread;
 * one batch in flight at a time keeps the file a prefix of the put order, which is what
 * recovery relies on.
 */
import { close, fdatasync, writev } from 'node:fs'
import { promisify } from 'node:util'
import type { IndexEntry } from './snapshot.ts'

const writevAsync = promisify(writev)
const fdatasyncAsync = promisify(fdatasync)
const closeAsync = promisify(close)

/** Batches smaller than this wait for more puts (fewer, larger writes). */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024
/** Above this many unwritten bytes `put` waits for the disk, bounding memory. */
const HIGH_WATER_BYTES = 16 * 1024 * 1024
/** Flush to the disk in the background every so often, so `close` has little left to sync. */
const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024

export class PackWriter {
  readonly id: number
  readonly fd: number
  /** Bytes in the file plus bytes queued: where the next record starts. */
  length: number
  private readonly sync: boolean
  private written: number
  private sinceSync = 0
  private queue: Uint8Array[] = []
  private queueEntries: IndexEntry[] = []
  private queuedBytes = 0
  private inflight: Promise<void> | undefined
  private syncing: Promise<void> = Promise.resolve()
  private failure: Error | undefined

  constructor(id: number, fd: number, length: number, sync: boolean) {
    this.id = id
    this.fd = fd
    this.length = length
    this.written = length
    this.sync = sync
  }

  /** Queues a record; returns the offset where its first part lands. */
  append(parts: Uint8Array[], entry?: IndexEntry): number {
    if (this.failure !== undefined) throw this.failure
    const offset = this.length
    for (const part of parts) {
      this.queue.push(part)
      this.queuedBytes += part.byteLength
      this.length += part.byteLength
    }
    if (entry !== undefined) this.queueEntries.push(entry)
    if (this.queuedBytes >= WRITE_BATCH_BYTES) this.pump()
    return offset
  }

  /** Resolves once memory use is back under the high-water mark. */
  async backpressure(): Promise<void> {
    while (this.queuedBytes >= HIGH_WATER_BYTES && this.inflight !== undefined) await this.inflight
    if (this.failure !== undefined) throw this.failure
  }

  /** Writes everything queued; with `sync`, also waits until it is on the disk. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inflight !== undefined) {
      this.pump()
      await this.inflight
    }
    if (this.failure !== undefined) throw this.failure
    if (this.sync) {
      await this.syncing
      await fdatasyncAsync(this.fd)
      this.sinceSync = 0
    }
  }

  async close(): Promise<void> {
    await this.flush()
    await closeAsync(this.fd)
  }

  private pump(): void {
    if (this.inflight !== undefined || this.queue.length === 0 || this.failure !== undefined) return
    const buffers = this.queue
    const entries = this.queueEntries
    const bytes = this.queuedBytes
    const position = this.written
    this.queue = []
    this.queueEntries = []
    this.queuedBytes = 0
    this.inflight = writeAll(this.fd, buffers, position, bytes).then(
      () => {
        this.written += bytes
        for (const entry of entries) entry.pending = undefined
        this.inflight = undefined
        this.sinceSync += bytes
        if (this.sync && this.sinceSync >= BACKGROUND_SYNC_BYTES) {
          this.sinceSync = 0
          this.syncing = this.syncing.then(() => fdatasyncAsync(this.fd))
        }
        if (this.queuedBytes >= WRITE_BATCH_BYTES) this.pump()
      },
      (err: Error) => {
        this.failure = err
        this.inflight = undefined
      },
    )
  }
}

/** `writev` may write less than asked (signals, quotas); keep going from where it stopped. */
async function writeAll(fd: number, buffers: Uint8Array[], position: number, total: number): Promise<void> {
  let done = (await writevAsync(fd, buffers, position)).bytesWritten
  while (done < total) {
    let skip = done
    const rest: Uint8Array[] = []
    for (const buffer of buffers) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength
        continue
      }
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer)
      skip = 0
    }
    done += (await writevAsync(fd, rest, position + done)).bytesWritten
  }
}
