/**
 * Writes a rendered site to disk. The new site is written beside the old one and swapped
 * in by rename, so an interrupted build never leaves a half-written folder where the next
 * step (pack, a web server) would trust it.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
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

export async function writeSite(files: Iterable<OutputFile>, dir: string, options: AbortOptions = {}): Promise<WriteResult> {
  const { signal } = options
  const parent = dirname(dir)
  const staging = join(parent, `.${basename(dir)}.partial-${process.pid}`)
  const previous = join(parent, `.${basename(dir)}.previous-${process.pid}`)
  await rm(staging, { recursive: true, force: true })
  let count = 0
  let bytes = 0
  try {
    const made = new Set<string>()
    for (const file of files) {
      signal?.throwIfAborted()
      const target = join(staging, ...file.path.split('/'))
      const folder = dirname(target)
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true })
        made.add(folder)
      }
      if (file.content instanceof Uint8Array) {
        await writeFile(target, file.content, { signal })
      } else {
        await pipeline(createReadStream(file.content.file), createWriteStream(target), { signal })
      }
      count++
      bytes += outputSize(file)
    }
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
