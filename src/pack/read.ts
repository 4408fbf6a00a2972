/**
 * Reading file contents for the importer. Files that fit in one chunk are read whole
 * in one call (most of a blog); larger ones are read a chunk at a time when the
 * importer asks, so a 1 GiB video never sits in memory. Reads are synchronous: the
 * page cache answers them faster than a thread-pool round trip, and the importer's
 * hashing needs the main thread anyway.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { PackError } from '../errors.ts'

export type FileContent = Uint8Array | Generator<Uint8Array>

/** Opens `file` and returns its content as the importer wants it, plus its size. */
export function readContent(file: string, display: string, chunkSize: number, signal?: AbortSignal): { content: FileContent; size: number } {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (err) {
    throw new PackError(`${display}: cannot be read: ${(err as Error).message}`, { cause: err })
  }
  let size: number
  try {
    size = fstatSync(fd).size
  } catch (err) {
    closeSync(fd)
    throw new PackError(`${display}: cannot be read: ${(err as Error).message}`, { cause: err })
  }
  if (size <= chunkSize) return { content: readWhole(fd, size, display), size }
  closeSync(fd)
  return { content: readChunks(file, display, chunkSize, signal), size }
}

function readWhole(fd: number, size: number, display: string): Uint8Array {
  try {
    const bytes = Buffer.allocUnsafe(size)
    let at = 0
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at)
      if (n === 0) throw new PackError(`${display}: the file shrank while it was being packed`)
      at += n
    }
    return bytes
  } finally {
    closeSync(fd)
  }
}

function* readChunks(file: string, display: string, chunkSize: number, signal?: AbortSignal): Generator<Uint8Array> {
  const fd = openSync(file, 'r')
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
    if (err instanceof PackError || (err as Error).name === 'AbortError') throw err
    throw new PackError(`${display}: cannot be read: ${(err as Error).message}`, { cause: err })
  } finally {
    closeSync(fd)
  }
}
