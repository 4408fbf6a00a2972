/**
 * Which names are packed, and which paths are acceptable. A published site is public
 * and permanent: a stray `.env` or `.git` must never get a CID.
 */
import { InvalidPathError } from '../errors.ts'

/** Never packed, whatever `hidden` says: secrets and repository history. */
export function isSecret(name: string): boolean {
  return name === '.git' || name === '.env' || name.startsWith('.env.')
}

export function isExcluded(name: string, hidden: boolean): boolean {
  return isSecret(name) || (!hidden && name.startsWith('.'))
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes a file name read as bytes; names that are not UTF-8 cannot be UnixFS link names. */
export function decodeName(bytes: Uint8Array, parent: string): string {
  try {
    return utf8.decode(bytes)
  } catch {
    const shown = Buffer.from(bytes).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    throw new InvalidPathError(
      `${parent === '' ? '' : `${parent}/`}${shown}`,
      'the file name is not valid UTF-8; rename it (UnixFS names are UTF-8)',
    )
  }
}

/**
 * Checks a site-relative POSIX path (`posts/a/index.html`) and returns its segments.
 * Refuses anything that could land outside the root or that is not UTF-8.
 */
export function checkRelativePath(path: string): string[] {
  if (typeof path !== 'string' || path === '') throw new InvalidPathError(String(path), 'the path is empty')
  if (!path.isWellFormed() || path.includes('\0')) {
    throw new InvalidPathError(path, 'the path is not valid UTF-8 text')
  }
  if (path.startsWith('/')) throw new InvalidPathError(path, 'the path is absolute; paths must be relative to the site root')
  const segments = path.split('/')
  for (const segment of segments) {
    if (segment === '..') throw new InvalidPathError(path, 'the path escapes the site root')
    if (segment === '' || segment === '.') throw new InvalidPathError(path, 'the path has an empty or `.` segment')
  }
  return segments
}
