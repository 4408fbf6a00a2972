/**
 * CARv1 framing for gateway responses: the header naming the root, then each block as
 * varint(CID + data length), CID, data. Frames are packed into large chunks, so a
 * response of tens of thousands of blocks is a few hundred socket writes, not one (and a
 * buffer) per block; a deferred block is read straight into its frame.
 */
import type { CID } from 'multiformats/cid'
import { GATEWAY_CAR_CHUNK_BYTES, GATEWAY_CAR_FLUSH_MS } from '../constants.ts'
import { carHeader, varintLength, writeVarint } from '../pack/car-frame.ts'
import type { CarItem } from './car.ts'

export interface EncodeCarOptions {
  /** Chunk size; a frame larger than this gets a chunk of its own size. @default GATEWAY_CAR_CHUNK_BYTES */
  chunkBytes?: number
  /** A chunk older than this goes out unfilled with the next block. @default GATEWAY_CAR_FLUSH_MS */
  flushMs?: number
  /** Where chunk buffers come from; give chunks back to it once written. @default fresh buffers */
  buffers?: ChunkBuffers
}

/**
 * Chunk buffers used again once everything emitted from them was written: a site's CAR
 * is hundreds of megabytes, and as many fresh buffers make the GC run full collections
 * over the whole heap again and again (V8 counts them as external memory).
 */
export class ChunkBuffers {
  private readonly free: Buffer[] = []
  /** Buffers handed out: parts emitted and not yet written back, and whether the encoder moved on. */
  private readonly lent = new Map<ArrayBufferLike, { buffer: Buffer; out: number; retired: boolean }>()
  private readonly keep: number

  /** Keeps at most `keep` free buffers. */
  constructor(keep = 2) {
    this.keep = keep
  }

  /** A buffer of at least `size` bytes, used before when one is free. */
  take(size: number): Buffer {
    const spare = this.free.pop()
    // Never from Node's shared pool: the whole ArrayBuffer is this buffer.
    const buffer = spare !== undefined && spare.byteLength >= size ? spare : Buffer.allocUnsafeSlow(size)
    this.lent.set(buffer.buffer, { buffer, out: 0, retired: false })
    return buffer
  }

  /** A part of a buffer is being emitted. */
  emitted(part: Uint8Array): void {
    const loan = this.lent.get(part.buffer)
    if (loan !== undefined) loan.out++
  }

  /** The encoder writes no more into `buffer`. */
  retire(buffer: Buffer): void {
    const loan = this.lent.get(buffer.buffer)
    if (loan === undefined) return
    loan.retired = true
    this.settle(loan)
  }

  /** A part emitted before was written: its buffer may be used again. */
  written(part: Uint8Array): void {
    const loan = this.lent.get(part.buffer)
    if (loan === undefined) return
    loan.out--
    this.settle(loan)
  }

  private settle(loan: { buffer: Buffer; out: number; retired: boolean }): void {
    if (!loan.retired || loan.out > 0) return
    this.lent.delete(loan.buffer.buffer)
    if (this.free.length < this.keep) this.free.push(loan.buffer)
  }
}

/** Buffers used once: the default, for a consumer that does not say when it is done with a chunk. */
const FRESH = { take: (size: number) => Buffer.allocUnsafeSlow(size), emitted: () => {}, retire: () => {} }

/**
 * A CARv1 stream of `blocks` under a header naming `root`. A chunk is emitted when the
 * next frame does not fit, or when it has waited `flushMs` (checked as each block comes),
 * so a slow source still streams. An emitted chunk is never written to again: the rest of
 * its buffer is filled next, and the buffer is only used again once `options.buffers`
 * has every part of it back.
 */
export async function* encodeCar(root: CID, blocks: AsyncIterable<CarItem>, options: EncodeCarOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? GATEWAY_CAR_CHUNK_BYTES
  const flushMs = options.flushMs ?? GATEWAY_CAR_FLUSH_MS
  const buffers: Pick<ChunkBuffers, 'take' | 'emitted' | 'retire'> = options.buffers ?? FRESH
  const header = carHeader(root)
  let buffer = buffers.take(Math.max(chunkBytes, header.byteLength))
  buffer.set(header)
  /** The chunk being filled runs from `from` to `at` in `buffer`. */
  let from = 0
  let at = header.byteLength
  const emit = (): Uint8Array => {
    const part = buffer.subarray(from, at)
    buffers.emitted(part)
    from = at
    return part
  }
  let since = performance.now()
  try {
    for await (const block of blocks) {
      const { cid } = block
      const length = 'bytes' in block ? block.bytes.byteLength : block.length
      const body = cid.bytes.byteLength + length
      const framed = varintLength(body) + body
      if (at + framed > buffer.byteLength) {
        if (at > from) yield emit()
        buffers.retire(buffer)
        buffer = buffers.take(Math.max(chunkBytes, framed))
        from = 0
        at = 0
        since = performance.now()
      }
      let end = writeVarint(buffer, at, body)
      buffer.set(cid.bytes, end)
      end += cid.bytes.byteLength
      if ('bytes' in block) buffer.set(block.bytes, end)
      else block.reader.readInto(cid, buffer, end, length)
      // Only a whole frame counts as framed: a read that throws leaves none behind.
      at = end + length
      const now = performance.now()
      if (now - since >= flushMs) {
        yield emit()
        since = now
      }
    }
    if (at > from) yield emit()
  } catch (err) {
    // The blocks before the failure go out (whole frames, as they would one by one); the
    // caller then cuts the response, so the client sees where it broke.
    if (at > from) yield emit()
    throw err
  } finally {
    buffers.retire(buffer)
  }
}
