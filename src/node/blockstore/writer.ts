/**
 * Appends records to one pack file. Each record is copied into one of two reusable
 * write buffers; a full buffer is written by the thread pool while the other fills, so
 * writing overlaps with the hashing on the main thread. Copying costs a memcpy, but the
 * caller's block is garbage as soon as `put` returns: holding it until the disk write
 * finished kept thousands of file buffers alive long enough for V8 to promote them,
 * and they were only freed (lazily) by full collections. One write in flight at a time
 * keeps the file a prefix of the put order, which is what recovery relies on.
 */
import { close, fdatasync, write } from 'node:fs'
import { promisify } from 'node:util'
import { MAX_BLOCK_BYTES, RECORD_HEADER_BYTES } from './format.ts'

const writeAsync = promisify(write)
const fdatasyncAsync = promisify(fdatasync)
const closeAsync = promisify(close)

/**
 * Size of each of the two write buffers: the largest record (header, a CID of at most
 * 255 bytes, the largest block) fits in one. Writes of a few MB are already at the
 * disk's sequential speed; larger buffers would only add to the resident memory.
 */
export const WRITE_BUFFER_BYTES = MAX_BLOCK_BYTES + 64 * 1024
/** Flush to the disk in the background every so often, so `close` has little left to sync. */
const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024

export class PackWriter {
  readonly id: number
  readonly fd: number
  /** Bytes in the file plus bytes buffered: where the next record starts. */
  length: number
  private readonly sync: boolean
  /** Bytes already handed to the file (everything before this offset is readable from it). */
  private written: number
  private sinceSync = 0
  /** The buffer being filled; it starts at file offset `written + inflightBytes`. */
  private filling: Buffer
  private filled = 0
  /** The other buffer: free, or being written. */
  private spare: Buffer
  private inflight: Promise<void> | undefined
  private inflightBytes = 0
  private syncing: Promise<void> = Promise.resolve()
  private failure: Error | undefined

  /** `previous`, a flushed writer of the last pack, hands over its buffers. */
  constructor(id: number, fd: number, length: number, sync: boolean, previous?: PackWriter) {
    this.id = id
    this.fd = fd
    this.length = length
    this.written = length
    this.sync = sync
    this.filling = previous?.filling ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES)
    this.spare = previous?.spare ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES)
  }

  /** Whether a record of `bytes` can be appended now without waiting for the disk. */
  hasRoom(bytes: number): boolean {
    return this.filled + bytes <= this.filling.byteLength
  }

  /** Waits until a record of `bytes` fits, sending the full buffer to the disk. */
  async makeRoom(bytes: number): Promise<void> {
    while (!this.hasRoom(bytes)) {
      if (this.inflight === undefined) this.ship()
      else await this.inflight
      this.throwIfFailed()
    }
  }

  /**
   * Copies a record into the write buffer (the caller has checked `hasRoom`); returns
   * the file offset of its data.
   */
  appendRecord(kind: number, cid: Uint8Array, data: Uint8Array | undefined): number {
    this.throwIfFailed()
    const dataLength = data?.byteLength ?? 0
    const size = RECORD_HEADER_BYTES + cid.byteLength + dataLength
    if (!this.hasRoom(size)) throw new RangeError('pack writer: appendRecord without room')
    const buf = this.filling
    const at = this.filled
    buf[at] = kind
    buf[at + 1] = cid.byteLength
    buf.writeUInt16LE(0, at + 2)
    buf.writeUInt32LE(dataLength, at + 4)
    buf.set(cid, at + RECORD_HEADER_BYTES)
    const dataAt = at + RECORD_HEADER_BYTES + cid.byteLength
    if (data !== undefined) buf.set(data, dataAt)
    const offset = this.length + RECORD_HEADER_BYTES + cid.byteLength
    this.filled += size
    this.length += size
    return offset
  }

  /** Copies raw bytes (the pack header) into the write buffer of a fresh pack. */
  appendRaw(bytes: Uint8Array): void {
    this.filling.set(bytes, this.filled)
    this.filled += bytes.byteLength
    this.length += bytes.byteLength
  }

  /** A copy of bytes that are still in a write buffer, or undefined if they are in the file. */
  readBuffered(offset: number, length: number): Uint8Array | undefined {
    if (offset < this.written) return undefined
    const inflightAt = offset - this.written
    // While a write is in flight its bytes are in `spare`, and `filling` follows them.
    const [buf, at] = inflightAt < this.inflightBytes ? [this.spare, inflightAt] : [this.filling, inflightAt - this.inflightBytes]
    return Uint8Array.prototype.slice.call(buf, at, at + length)
  }

  /** Writes everything buffered; with `sync`, also waits until it is on the disk. */
  async flush(): Promise<void> {
    while (this.inflight !== undefined || this.filled > 0) {
      if (this.inflight !== undefined) await this.inflight
      else this.ship()
      this.throwIfFailed()
    }
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

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }

  /** Swaps the buffers and writes the full one; only called with nothing in flight. */
  private ship(): void {
    const buf = this.filling
    const bytes = this.filled
    this.filling = this.spare
    this.spare = buf
    this.filled = 0
    this.inflightBytes = bytes
    this.inflight = writeAll(this.fd, buf.subarray(0, bytes), this.written).then(
      () => {
        this.written += bytes
        this.inflightBytes = 0
        this.inflight = undefined
        this.sinceSync += bytes
        if (this.sync && this.sinceSync >= BACKGROUND_SYNC_BYTES) {
          this.sinceSync = 0
          this.syncing = this.syncing.then(() => fdatasyncAsync(this.fd))
        }
      },
      (err: Error) => {
        this.failure = err
        this.inflight = undefined
      },
    )
  }
}

/** `write` may write less than asked (signals, quotas); keep going from where it stopped. */
async function writeAll(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < bytes.byteLength) {
    done += (await writeAsync(fd, bytes, done, bytes.byteLength - done, position + done)).bytesWritten
  }
}
