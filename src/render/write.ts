/**
 * Writes a rendered site to disk. The new site is written beside the old one and swapped
 * in by rename, so an interrupted build never leaves a half-written folder where the next
 * step (pack, a web server) would trust it.
 */
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { WRITE_CONCURRENCY } from '../constants.ts'
import type { AbortOptions } from '../events.ts'
import type { OutputFile } from './types.ts'

export interface WriteResult {
  dir: string
  files: number
  bytes: number
}

export function outputSize(file: OutputFile): number {
  return file.content instanceof Uint8Array ? file.content.byteLength : file.content.size
}

/** Writes `files` (a list, or files as they are rendered) to `dir`, replacing what was there at the end. */
export async function writeSite(files: Iterable<OutputFile> | AsyncIterable<OutputFile>, dir: string, options: AbortOptions = {}): Promise<WriteResult> {
  const { signal } = options
  const parent = dirname(dir)
  const staging = join(parent, `.${basename(dir)}.partial-${process.pid}`)
  const previous = join(parent, `.${basename(dir)}.previous-${process.pid}`)
  await rm(staging, { recursive: true, force: true })
  let count = 0
  let bytes = 0
  try {
    // Each folder is made once; files wait for their folder's promise, not for each other.
    const folders = new Map<string, Promise<unknown>>()
    const folderOf = (folder: string) => {
      let made = folders.get(folder)
      if (made === undefined) {
        made = mkdir(folder, { recursive: true })
        folders.set(folder, made)
      }
      return made
    }
    const write = async (file: OutputFile): Promise<void> => {
      const target = join(staging, ...file.path.split('/'))
      await folderOf(dirname(target))
      if (file.content instanceof Uint8Array) {
        await writeFile(target, file.content, { signal })
      } else {
        // The kernel copies (or clones) the file without passing it through this process.
        await copyFile(file.content.file, target)
      }
      count++
      bytes += outputSize(file)
    }
    await forEachConcurrently(files, WRITE_CONCURRENCY, write, signal)
    if (count === 0) await mkdir(staging, { recursive: true })
    // Swap: the old folder moves aside before the new one takes its name, then goes.
    await rm(previous, { recursive: true, force: true })
    let hadPrevious = true
    try {
      await rename(dir, previous)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      hadPrevious = false
    }
    await rename(staging, dir)
    if (hadPrevious) await rm(previous, { recursive: true, force: true })
  } catch (err) {
    await rm(staging, { recursive: true, force: true })
    throw err
  }
  return { dir, files: count, bytes }
}

/**
 * Runs `task` on every item with at most `limit` running: one file at a time leaves the disk
 * idle while each small write makes its round trip through the thread pool. The first
 * failure stops the others from starting new items and is thrown once all have settled.
 */
async function forEachConcurrently<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]()
  let failed = false
  const runner = async (): Promise<void> => {
    for (;;) {
      if (failed) return
      signal?.throwIfAborted()
      const next = await iterator.next()
      if (next.done === true) return
      try {
        await task(next.value)
      } catch (err) {
        failed = true
        throw err
      }
    }
  }
  const results = await Promise.allSettled(Array.from({ length: limit }, runner))
  for (const r of results) if (r.status === 'rejected') throw r.reason
}
