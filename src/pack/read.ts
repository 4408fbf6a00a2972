/**
 * Reading file contents for the importer. Files that fit in one chunk (most of a blog)
 * are read whole, in one call, only when the importer gets to them: the source can run
 * ahead without holding their bytes. Larger ones are read a chunk at a time when the
 * importer asks, so a 1 GiB video never sits in memory. Reads are synchronous: the page
 * cache answers them faster than a thread-pool round trip, and the importer's hashing
 * needs the main thread anyway.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { PackError } from '../errors.ts'

export type FileContent = WholeFile | Generator<Uint8Array>

/**
 * A file of at most one chunk, read when first asked for. Iterable, so the importer
 * can take it like any other content; `read()` is the direct way in.
 */
export class WholeFile implements Iterable<Uint8Array> {
  readonly file: string
  readonly display: string
  readonly size: number

  constructor(file: string, display: string, size: number) {
    this.file = file
    this.display = display
    this.size = size
  }

  /** The whole content, in a buffer of its own. */
  read(): Uint8Array {
    const fd = open(this.file, this.display)
    try {
      const bytes = Buffer.allocUnsafe(this.size)
      let at = 0
      while (at < this.size) {
        const n = readSync(fd, bytes, at, this.size - at, at)
        if (n === 0) throw new PackError(`${this.display}: the file shrank while it was being packed`)
        at += n
      }
      return bytes
    } catch (err) {
      throw wrap(err, this.display)
    } finally {
      closeSync(fd)
    }
  }

  *[Symbol.iterator](): Generator<Uint8Array> {
    yield this.read()
  }
}

/** The content of `file` as the importer wants it, plus its size; nothing is read yet. */
export function readContent(file: string, display: string, chunkSize: number, signal?: AbortSignal): { content: FileContent; size: number } {
  let size: number
  try {
    size = statSync(file).size
  } catch (err) {
    throw wrap(err, display)
  }
  if (size <= chunkSize) return { content: new WholeFile(file, display, size), size }
  return { content: readChunks(file, display, chunkSize, signal), size }
}

function* readChunks(file: string, display: string, chunkSize: number, signal?: AbortSignal): Generator<Uint8Array> {
  const fd = open(file, display)
  try {
    for (let position = 0; ; ) {
      signal?.throwIfAborted()
      // A fresh buffer per chunk: the importer keeps it as a raw leaf block.
      const chunk = Buffer.allocUnsafe(chunkSize)
      let filled = 0
      while (filled < chunkSize) {
        const n = readSync(fd, chunk, filled, chunkSize - filled, position + filled)
        if (n === 0) break
        filled += n
      }
      if (filled > 0) yield filled === chunkSize ? chunk : chunk.subarray(0, filled)
      position += filled
      if (filled < chunkSize) return
    }
  } catch (err) {
    throw wrap(err, display)
  } finally {
    closeSync(fd)
  }
}

function open(file: string, display: string): number {
  try {
    return openSync(file, 'r')
  } catch (err) {
    throw wrap(err, display)
  }
}

function wrap(err: unknown, display: string): Error {
  if (err instanceof PackError || (err as Error).name === 'AbortError') return err as Error
  return new PackError(`${display}: cannot be read: ${(err as Error).message}`, { cause: err })
}
