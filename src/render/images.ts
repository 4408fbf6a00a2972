/**
 * Finds a post's `header_image`. Blogs write it many ways: `/assets/x.png` (site path),
 * `images/x.svg` (relative to `assets/`), `./x.png` (next to the post), or a bare name.
 */
import { dirOf, normalizeSegments } from './paths.ts'

export type ImageLookup = { ok: true; path: string; external: boolean } | { ok: false; tried: string[] }

/**
 * Resolves `value` against the static files (output paths). Returns the output path found,
 * or every place looked at so the error can say where the file was expected.
 */
export function findImage(value: string, postFile: string, files: ReadonlySet<string>): ImageLookup {
  if (/^https?:\/\//i.test(value)) return { ok: true, path: value, external: true }
  const clean = value.split(/[?#]/)[0]!
  const postDir = dirOf(postFile)
  let candidates: string[]
  if (clean.startsWith('./') || clean.startsWith('../')) {
    candidates = [`${postDir}${clean}`]
  } else if (clean.startsWith('/')) {
    // VuePress serves `public/` at the root, so `/x.png` may mean a file of `assets/`.
    candidates = [clean.slice(1), `assets/${clean.slice(1)}`]
  } else {
    candidates = [`${postDir}${clean}`, `assets/${clean}`, `assets/images/${clean}`]
  }
  const tried: string[] = []
  for (const candidate of candidates) {
    const path = normalizeSegments(candidate)
    if (path === undefined) continue
    if (files.has(path)) return { ok: true, path, external: false }
    tried.push(path)
  }
  return { ok: false, tried }
}
