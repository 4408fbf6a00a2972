/** Small helpers for walking the site folder; POSIX paths, byte-order sorting. */
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

/** Byte-order comparison: unlike localeCompare it does not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/')
}

/**
 * Every file under `dir` (recursively) as an absolute path and a POSIX path relative to
 * `base`, sorted. Hidden files and folders are left out: `.DS_Store`, `.git`, editors' swap files.
 * A missing folder gives no files.
 */
export async function listFiles(dir: string, base: string): Promise<{ abs: string; rel: string }[]> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const out: { abs: string; rel: string }[] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const abs = join(entry.parentPath, entry.name)
    const rel = toPosix(relative(base, abs))
    if (rel.split('/').some((part) => part.startsWith('.'))) continue
    out.push({ abs, rel })
  }
  return out.sort((a, b) => compareStrings(a.rel, b.rel))
}
