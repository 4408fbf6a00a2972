/**
 * Segment files: entries' bytes, appended one after another. A build appends what it
 * rendered to new segments under temporary names, renamed once complete; a later build
 * reads entries back at their offsets, each checked against its CRC-32.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, readSync } from 'node:fs'
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { RENDER_CACHE_READ_WINDOW_BYTES, RENDER_CACHE_WRITE_BUFFER_BYTES } from '../../constants.ts'

export const SEGMENT = /^seg-[0-9a-z]+-[0-9a-f]+\.bin$/
export const TEMPORARY = /\.tmp$/

/** A new, unique segment file name; it sorts after older ones. */
export function segmentName(): string {
  return `seg-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.bin`
}

/** Where an entry's bytes are. */
export interface Blob {
  offset: number
  length: number
  crc: number
}

/**
 * Appends entries to a new segment file; nothing is on disk until the first write. Text is
 * encoded straight into large buffers, and buffers are written by the thread pool, in
 * order, while rendering goes on.
 */
export class SegmentWriter {
  readonly name = segmentName()
  readonly #dir: string
  readonly #temporary: string
  #file: FileHandle | undefined
  /** Buffers appended and not yet handed to a write, in order. */
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  /** What text is encoded into; its used part goes to `#pending` when full. */
  #chunk = Buffer.allocUnsafe(0)
  #chunkStart = 0
  #chunkUsed = 0
  #writing: Promise<void> = Promise.resolve()
  #error: unknown
  /** Bytes appended so far: the offset of the next entry. */
  size = 0

  constructor(dir: string) {
    this.#dir = dir
    this.#temporary = join(dir, `${this.name}.tmp`)
  }

  /** Appends one entry made of `parts`, back to back. Byte arrays must not change until written. */
  append(...parts: (Uint8Array | string)[]): Blob {
    const blob = { offset: this.size, length: 0, crc: 0 }
    for (const part of parts) {
      if (typeof part === 'string') {
        this.#encode(part, blob)
      } else {
        this.#seal()
        this.#pending.push(part)
        this.#pendingBytes += part.byteLength
        blob.crc = crc32(part, blob.crc)
        blob.length += part.byteLength
      }
    }
    this.size += blob.length
    if (this.#pendingBytes >= RENDER_CACHE_WRITE_BUFFER_BYTES) this.#flush()
    return blob
  }

  /** Writes what is left, then renames the file to its final name; throws what any write threw. */
  async finish(): Promise<void> {
    this.#flush()
    await this.#writing
    if (this.#error !== undefined) throw this.#error
    if (this.#file === undefined) return
    await this.#file.close()
    this.#file = undefined
    await rename(this.#temporary, join(this.#dir, this.name))
  }

  /** Removes the temporary file (an abandoned build). */
  async discard(): Promise<void> {
    this.#pending = []
    this.#error ??= new Error('discarded')
    await this.#writing
    if (this.#file === undefined) return
    await this.#file.close()
    this.#file = undefined
    await rm(this.#temporary, { force: true })
  }

  #encode(text: string, blob: Blob): void {
    let rest = text
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, this.#chunk.subarray(this.#chunkUsed))
      blob.crc = crc32(this.#chunk.subarray(this.#chunkUsed, this.#chunkUsed + written), blob.crc)
      blob.length += written
      this.#chunkUsed += written
      this.#pendingBytes += written
      if (read === rest.length) return
      rest = rest.slice(read)
      this.#seal()
      // A new buffer large enough for the rest (UTF-8 takes at most 3 bytes per UTF-16 unit).
      this.#chunk = Buffer.allocUnsafe(Math.max(RENDER_CACHE_WRITE_BUFFER_BYTES, rest.length * 3))
      this.#chunkStart = 0
      this.#chunkUsed = 0
    }
  }

  /** Queues the encoded part of the chunk, in its place among the other buffers. */
  #seal(): void {
    if (this.#chunkUsed === this.#chunkStart) return
    this.#pending.push(this.#chunk.subarray(this.#chunkStart, this.#chunkUsed))
    this.#chunkStart = this.#chunkUsed
  }

  #flush(): void {
    this.#seal()
    if (this.#pending.length === 0) return
    const buffers = this.#pending
    this.#pending = []
    this.#pendingBytes = 0
    this.#writing = this.#writing.then(async () => {
      if (this.#error !== undefined) return
      try {
        if (this.#file === undefined) {
          await mkdir(this.#dir, { recursive: true })
          this.#file = await open(this.#temporary, 'wx')
        }
        // libuv writes them all, in as many system calls as it takes.
        await this.#file.writev(buffers)
      } catch (err) {
        this.#error = err
      }
    })
  }
}

const encoder = new TextEncoder()

/**
 * Reads the entries of one segment. A build reads them in about the order an earlier build
 * wrote them (the order of the site's pages), so they are read through a window that one
 * system call fills. Entries are views of their window, never copied: a window is not
 * reused, and lives as long as a page in it is part of the output.
 */
export class SegmentReader {
  readonly #fd: number
  #window: Buffer = Buffer.alloc(0)
  #start = 0

  constructor(fd: number) {
    this.#fd = fd
  }

  /** An entry's bytes; undefined when they cannot be read or fail their checksum. */
  read(blob: Blob): Uint8Array | undefined {
    try {
      const { offset, length } = blob
      let at = offset - this.#start
      if (at < 0 || at + length > this.#window.byteLength) {
        const window = Buffer.allocUnsafeSlow(Math.max(length, RENDER_CACHE_READ_WINDOW_BYTES))
        this.#window = window.subarray(0, readFully(this.#fd, window, offset))
        this.#start = offset
        at = 0
        if (length > this.#window.byteLength) return undefined
      }
      const bytes = this.#window.subarray(at, at + length)
      return crc32(bytes) === blob.crc ? bytes : undefined
    } catch {
      return undefined
    }
  }

  close(): void {
    closeSync(this.#fd)
  }
}

/** Reads into `bytes` from `offset` until it is full or the file ends; the bytes read. */
function readFully(fd: number, bytes: Uint8Array, offset: number): number {
  let got = 0
  while (got < bytes.byteLength) {
    const n = readSync(fd, bytes, got, bytes.byteLength - got, offset + got)
    if (n === 0) break
    got += n
  }
  return got
}
