/**
 * CARv1 export: one root, every block once, depth-first from the root. The bytes depend
 * only on the DAG, so the same DAG always gives the same file. Blocks are framed here
 * (varint length, CID, bytes) into chunks of CAR_CHUNK_BYTES: per-block chunks through
 * a stream cost a write call and several promise hops each. From a store that can read
 * into a buffer (the pack store) each block is read straight into the chunk, with no
 * thread-pool round trip and no buffer per block: right after a pack the blocks are
 * in the page cache, and 42,000 async reads cost more than the reads themselves.
 */
import { open, rename, rm } from 'node:fs/promises'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { CAR_CHUNK_BYTES } from '../constants.ts'
import { PackError } from '../errors.ts'
import { carHeader, varintLength, writeVarint } from './car-frame.ts'
import type { AbortOptions } from '../events.ts'
import { type BlockReader, cidKey, linksOf, missingAsPackError, walkDag } from './walk.ts'

export interface ExportCarOptions extends AbortOptions {
  blockstore: BlockReader
}

export interface CarStats {
  blocks: number
  /** Size of the CAR file. */
  bytes: number
}

/** What the pack store offers beyond `get`. */
interface DirectBlockReader extends BlockReader {
  blockLength(cid: CID): number
  readInto(cid: CID, target: Uint8Array, offset: number): void
}

/** Buffers `writeCar` cycles through: the one being filled, the one handed over, the one being written. */
const CAR_BUFFERS = 3

/** Gives the buffer for the next chunk, of at least `size` bytes. */
type BufferSource = (size: number) => Buffer

/** Streams the CAR of the DAG under `root`; nothing is buffered beyond one chunk. */
export function exportCar(root: CID, options: ExportCarOptions): AsyncGenerator<Uint8Array> {
  // Each chunk is a fresh buffer: the consumer may still hold the previous one.
  return encodeCar(root, options, () => {}, (size) => Buffer.allocUnsafe(size))
}

async function* encodeCar(root: CID, options: ExportCarOptions, onBlock: () => void, buffer: BufferSource): AsyncGenerator<Uint8Array> {
  const out = new Framer(buffer, carHeader(root))
  const store = options.blockstore as Partial<DirectBlockReader>
  if (typeof store.blockLength === 'function' && typeof store.readInto === 'function') {
    yield* direct(root, store as DirectBlockReader, out, onBlock, options.signal)
  } else {
    for await (const { cid, bytes } of walkDag(root, options.blockstore, options.signal)) {
      onBlock()
      const full = out.begin(cid, bytes.byteLength)
      if (full !== undefined) yield full
      out.chunk.set(bytes, out.at)
      out.at += bytes.byteLength
    }
  }
  if (out.at > 0) yield out.chunk.subarray(0, out.at)
}

/** walkDag's traversal, reading each block into the chunk it is framed in. */
function* direct(root: CID, store: DirectBlockReader, out: Framer, onBlock: () => void, signal: AbortSignal | undefined): Generator<Uint8Array> {
  const seen = new Set<string>()
  const stack: CID[] = [root]
  for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
    signal?.throwIfAborted()
    const key = cidKey(cid)
    if (seen.has(key)) continue
    seen.add(key)
    let length: number
    try {
      length = store.blockLength(cid)
    } catch (err) {
      throw missingAsPackError(cid, err)
    }
    onBlock()
    const full = out.begin(cid, length)
    if (full !== undefined) yield full
    store.readInto(cid, out.chunk, out.at)
    const bytes = out.chunk.subarray(out.at, out.at + length)
    out.at += length
    // A copy for the decoder (Buffer's `slice` would be a view): the links' CIDs would
    // otherwise be views into a chunk that is reused.
    const links = linksOf(cid, cid.code === raw.code ? bytes : new Uint8Array(bytes))
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i] as CID)
  }
}

/** Fills chunks with frames: varint(CID + block length), CID, block. */
class Framer {
  chunk: Buffer
  /** Where the next bytes go in `chunk`. */
  at: number
  private readonly buffer: BufferSource

  constructor(buffer: BufferSource, header: Uint8Array) {
    this.buffer = buffer
    this.chunk = buffer(Math.max(CAR_CHUNK_BYTES, header.byteLength))
    this.chunk.set(header)
    this.at = header.byteLength
  }

  /**
   * Writes a frame's varint and CID, leaving room for `length` block bytes at `at`;
   * returns the full chunk to emit first when the frame did not fit in it.
   */
  begin(cid: CID, length: number): Uint8Array | undefined {
    const body = cid.bytes.byteLength + length
    const framed = varintLength(body) + body
    let full: Uint8Array | undefined
    if (this.at + framed > this.chunk.byteLength) {
      full = this.at > 0 ? this.chunk.subarray(0, this.at) : undefined
      this.chunk = this.buffer(Math.max(CAR_CHUNK_BYTES, framed))
      this.at = 0
    }
    this.at = writeVarint(this.chunk, this.at, body)
    this.chunk.set(cid.bytes, this.at)
    this.at += cid.bytes.byteLength
    return full
  }
}

/**
 * Writes the CAR to `file`, through a temporary file renamed at the end, so a failed or
 * interrupted export never leaves a truncated CAR under the final name. One chunk is
 * written while the next is encoded, into three buffers used in turn: fresh 4 MB buffers
 * lived just long enough to be promoted to V8's old generation, and piled up there
 * until a full collection.
 */
export async function writeCar(root: CID, file: string, options: ExportCarOptions): Promise<CarStats> {
  const tmp = `${file}.${process.pid}.tmp`
  const stats: CarStats = { blocks: 0, bytes: 0 }
  try {
    const handle = await open(tmp, 'w')
    let writing: Promise<void> = Promise.resolve()
    // The encoder asks for buffer k when chunk k-1 is full but not yet handed over, and
    // chunk k-2 may still be being written; chunk k-3's write has been awaited.
    const buffers: Buffer[] = []
    const buffer = (size: number): Buffer => {
      const spare = buffers.length === CAR_BUFFERS ? buffers.shift() : undefined
      const next = spare !== undefined && spare.byteLength >= size ? spare : Buffer.allocUnsafe(size)
      buffers.push(next)
      return next
    }
    try {
      for await (const chunk of encodeCar(root, options, () => stats.blocks++, buffer)) {
        options.signal?.throwIfAborted()
        await writing
        writing = writeFully(handle, chunk, stats.bytes)
        // Reported when awaited, with the next chunk or at the end; not as unhandled meanwhile.
        writing.catch(() => {})
        stats.bytes += chunk.byteLength
      }
      await writing
    } finally {
      await writing.catch(() => {})
      await handle.close()
    }
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    if (err instanceof PackError || (err as Error).name === 'AbortError') throw err
    throw new PackError(`${file}: the CAR could not be written: ${(err as Error).message}`, { cause: err })
  }
  return stats
}

async function writeFully(handle: Awaited<ReturnType<typeof open>>, chunk: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < chunk.byteLength; ) {
    done += (await handle.write(chunk, done, chunk.byteLength - done, position + done)).bytesWritten
  }
}
