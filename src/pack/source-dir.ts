/**
 * Walks a directory into import candidates: files, symlinks (stored as links, never
 * followed) and empty directories. Non-empty directories are not emitted: the importer
 * creates them from the paths, and emitting them too would store an orphan empty-
 * directory block for each. Names are read as bytes so that a name that is not UTF-8
 * is refused instead of silently mangled; entries are sorted so that progress and
 * errors come in the same order on every machine.
 */
import { type Dirent, readdirSync, readlinkSync, statSync } from 'node:fs'
import type { ImportCandidate } from 'ipfs-unixfs-importer'
import { InvalidPathError, PackError } from '../errors.ts'
import { decodeName, isExcluded } from './names.ts'
import { readContent } from './read.ts'

export interface SourceOptions {
  hidden: boolean
  chunkSize: number
  signal: AbortSignal | undefined
  /** Called once per file, as it is handed to the importer. */
  onFile: (path: string, bytes: number) => void
}

export function* directorySource(root: string, options: SourceOptions): Generator<ImportCandidate> {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(root)
  } catch (err) {
    throw new PackError(`${root}: cannot be packed: ${(err as Error).message}`, { cause: err })
  }
  if (!stat.isDirectory()) throw new PackError(`${root}: is not a directory; give the folder of the site to pack`)
  yield* walk(root, '', options)
}

/** Yields the candidates under `dir`; returns how many it yielded. */
function* walk(dir: string, rel: string, options: SourceOptions): Generator<ImportCandidate, number> {
  options.signal?.throwIfAborted()
  let dirents: Dirent<Buffer>[]
  try {
    dirents = readdirSync(Buffer.from(dir), { withFileTypes: true, encoding: 'buffer' }) as Dirent<Buffer>[]
  } catch (err) {
    throw new PackError(`${rel === '' ? dir : rel}: cannot be read: ${(err as Error).message}`, { cause: err })
  }
  dirents.sort((a, b) => Buffer.compare(a.name, b.name))
  let count = 0
  for (const dirent of dirents) {
    const name = decodeName(dirent.name, rel)
    if (isExcluded(name, options.hidden)) continue
    const path = rel === '' ? name : `${rel}/${name}`
    // `dir` is already normal and `name` a plain segment: path.join would only re-check that.
    const full = `${dir}/${name}`
    if (dirent.isSymbolicLink()) {
      yield { path, link: readLink(full, path) }
    } else if (dirent.isDirectory()) {
      const inside = yield* walk(full, path, options)
      if (inside === 0) yield { path }
    } else if (dirent.isFile()) {
      const { content, size } = readContent(full, path, options.chunkSize, options.signal)
      options.onFile(path, size)
      yield { path, content }
    } else {
      throw new InvalidPathError(path, 'is not a file, folder or symlink (a socket, FIFO or device); remove it from the site')
    }
    count++
  }
  return count
}

function readLink(full: string, path: string): string {
  const target = readlinkSync(full, { encoding: 'buffer' })
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(target)
  } catch {
    throw new InvalidPathError(path, 'the symlink target is not valid UTF-8')
  }
}
