/**
 * Opening the render cache: its manifest read and checked, its segments opened. A cache
 * that is missing is empty; one that is damaged, of another format or made by another
 * renderer is set aside whole (and swept by the next save), never trusted in part.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Diagnostic } from '../../errors.ts'
import { RenderCache } from './cache.ts'
import { type CachedMarkdown, type CachedPage, type Entry, openSegment, type Segment } from './entries.ts'
import { renderFingerprint } from './fingerprint.ts'
import { MANIFEST_FILE, type Manifest, parseManifest } from './format.ts'
import { LinkTable } from './links.ts'

export interface OpenRenderCacheOptions {
  /** What made the entries (tests pass their own). @default renderFingerprint() */
  fingerprint?: string
}

/** What the last build left. */
export interface Previous {
  /** Why the cache on disk was set aside whole, if it was. */
  ignored: string | undefined
  /** Entries of a cache made by another renderer: none can be used, all are swept. */
  setAside: number
  segments: Segment[]
  markdown: Map<string, CachedMarkdown>
  pages: Map<string, CachedPage>
  links: LinkTable
}

/** Reads the manifest in `dir` (nothing there is fine) and opens its segments. */
export async function openRenderCache(dir: string, options: OpenRenderCacheOptions = {}): Promise<RenderCache> {
  const fingerprint = options.fingerprint ?? (await renderFingerprint())
  const previous: Previous = { ignored: undefined, setAside: 0, segments: [], markdown: new Map(), pages: new Map(), links: new LinkTable([]) }
  let text: string | undefined
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') previous.ignored = `manifest unreadable: ${(err as Error).message}`
  }
  const parsed = text === undefined ? undefined : parseManifest(text)
  if (parsed === undefined) {
    // A new cache.
  } else if ('problem' in parsed) {
    previous.ignored = `manifest ${parsed.problem}`
  } else if (parsed.fingerprint !== fingerprint) {
    previous.ignored = 'made by another version of the renderer or its packages'
    previous.setAside = parsed.markdown.length + parsed.pages.length
  } else {
    readEntries(dir, parsed, previous)
  }
  return new RenderCache(dir, fingerprint, previous)
}

/** The manifest's entries; one that does not look right is left out (and so rendered again). */
function readEntries(dir: string, manifest: Manifest, into: Previous): void {
  into.links = new LinkTable(manifest.links)
  const links = manifest.links.length
  for (const name of manifest.segments) into.segments.push(openSegment(dir, name))
  const place = (segment: unknown, offset: unknown, length: unknown, crc: unknown): Entry | undefined => {
    const s = typeof segment === 'number' ? into.segments[segment] : undefined
    if (s?.reader === undefined || typeof offset !== 'number' || typeof length !== 'number' || typeof crc !== 'number') return undefined
    return { segment: s, blob: { offset, length, crc } }
  }
  for (const [key, segment, offset, length, crc, firstParagraph, readingMinutes, errors, warnings, refs] of manifest.markdown) {
    const at = place(segment, offset, length, crc)
    if (at === undefined || (typeof firstParagraph !== 'string' && firstParagraph !== null) || typeof readingMinutes !== 'number') continue
    if (!isDiagnostics(errors) || !isDiagnostics(warnings) || !Array.isArray(refs) || !refs.every(isRefUse)) continue
    into.markdown.set(key, { ...at, firstParagraph, readingMinutes, errors, warnings, refs })
  }
  for (const [key, segment, offset, length, crc, ids] of manifest.pages) {
    const at = place(segment, offset, length, crc)
    if (at === undefined || !Array.isArray(ids) || !ids.every((i) => Number.isInteger(i) && i >= 0 && i < links)) continue
    into.pages.set(key, { ...at, links: ids })
  }
}

const isRefUse = (r: unknown): boolean => Array.isArray(r) && typeof r[0] === 'string' && (typeof r[1] === 'string' || r[1] === null)

const isDiagnostics = (list: unknown): list is Diagnostic[] =>
  Array.isArray(list) &&
  list.every((d: Diagnostic) => typeof d?.file === 'string' && typeof d.message === 'string' && (d.line === undefined || typeof d.line === 'number'))
