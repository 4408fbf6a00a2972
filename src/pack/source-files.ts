/**
 * Turns the renderer's output files into import candidates as they arrive: rendered
 * pages are already bytes, copied assets are read from disk when their turn comes.
 * Paths are checked before anything is stored, and two files claiming one path (or a
 * file where another file needs a folder) are refused instead of one silently winning.
 */
import type { ImportCandidate } from 'ipfs-unixfs-importer'
import { InvalidPathError } from '../errors.ts'
import type { OutputFile } from '../render/types.ts'
import { checkRelativePath, isExcluded } from './names.ts'
import { readContent } from './read.ts'
import type { SourceOptions } from './source-dir.ts'

export async function* filesSource(
  files: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  options: SourceOptions,
): AsyncGenerator<ImportCandidate> {
  const filePaths = new Set<string>()
  const dirPaths = new Set<string>()
  for await (const file of files) {
    options.signal?.throwIfAborted()
    const segments = checkRelativePath(file.path)
    if (segments.some((segment) => isExcluded(segment, options.hidden))) continue
    if (filePaths.has(file.path)) throw new InvalidPathError(file.path, 'two files have this path')
    if (dirPaths.has(file.path)) throw new InvalidPathError(file.path, 'is a file, but other files are inside it as a folder')
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/')
      if (filePaths.has(dir)) throw new InvalidPathError(file.path, `is inside ${dir}, which is a file`)
      dirPaths.add(dir)
    }
    filePaths.add(file.path)
    if (file.content instanceof Uint8Array) {
      options.onFile(file.path, file.content.byteLength)
      yield { path: file.path, content: file.content }
    } else {
      const { content, size } = readContent(file.content.file, file.path, options.chunkSize, options.signal)
      options.onFile(file.path, size)
      yield { path: file.path, content }
    }
  }
}
