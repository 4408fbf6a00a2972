/**
 * Saving the render cache after a build: the entries the build used or rendered become
 * the new manifest and everything else is swept. The new segment is renamed into place
 * before the manifest that names it, and the manifest replaced by rename, so a reader
 * (or a build killed half-way) sees the old cache or the new one, never a mix. Segments
 * mostly dead, and the smallest beyond RENDER_CACHE_MAX_SEGMENTS, are rewritten into the
 * new one, so the cache stays about the size of one build's output.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { RENDER_CACHE_MAX_SEGMENTS, RENDER_CACHE_MIN_LIVE, RENDER_CACHE_STALE_TEMP_MS } from '../../constants.ts'
import type { RenderCacheReport } from '../../events.ts'
import type { CachedMarkdown, CachedPage, Entry, Output, Outputs, Segment } from './entries.ts'
import { type LinkRecord, MANIFEST_FILE, type Manifest, type MarkdownRecord, type PageRecord, RENDER_CACHE_FORMAT, serializeManifest } from './format.ts'
import { SEGMENT, TEMPORARY } from './segments.ts'

/** What saving reports: the build's report, with cache hits counted before the build knows its totals. */
export type RenderCacheSummary = Omit<RenderCacheReport, 'posts' | 'pages'> & {
  /** Posts whose Markdown came from the cache. */
  markdownCached: number
  /** Pages whose bytes came from the cache. */
  pagesCached: number
}

export interface SaveInput {
  dir: string
  fingerprint: string
  ignored: string | undefined
  /** The last build's segments, open. */
  segments: readonly Segment[]
  links: readonly LinkRecord[]
  previous: { markdown: ReadonlyMap<string, CachedMarkdown>; pages: ReadonlyMap<string, CachedPage> }
  used: { markdown: Map<string, CachedMarkdown>; pages: Map<string, CachedPage> }
  /** The segments this build wrote. */
  outputs: Outputs
  corrupt: number
  /** Entries of a cache made by another renderer (all swept). */
  setAside: number
}

export async function saveCache(input: SaveInput): Promise<RenderCacheSummary> {
  const { dir, used, previous, outputs } = input
  const written = new Set([outputs.markdown.segment, outputs.pages.segment])
  let corrupt = input.corrupt
  const markdownCached = countOld(used.markdown.values(), written)
  const pagesCached = countOld(used.pages.values(), written)
  const summary = (extra: Partial<RenderCacheSummary>): RenderCacheSummary => ({
    dir,
    markdownCached,
    pagesCached,
    corrupt,
    swept: 0,
    entries: 0,
    bytes: 0,
    ...(input.ignored === undefined ? {} : { ignored: input.ignored }),
    ...extra,
  })

  try {
    const keep = segmentsToKeep(input.segments)
    const move = <E extends Entry>(entries: Map<string, E>, to: Output) => {
      for (const [key, entry] of entries) {
        if (written.has(entry.segment) || keep.has(entry.segment)) continue
        const bytes = entry.segment.reader?.read(entry.blob)
        if (bytes === undefined) {
          corrupt++
          entries.delete(key)
          continue
        }
        entries.set(key, { ...entry, segment: to.segment, blob: to.writer.append(bytes) })
      }
      to.segment.size = to.writer.size
    }
    move(used.markdown, outputs.markdown)
    move(used.pages, outputs.pages)

    const entries = used.markdown.size + used.pages.size
    const swept = input.setAside + countSwept(previous.markdown, used.markdown) + countSwept(previous.pages, used.pages)
    const fresh = [outputs.markdown, outputs.pages].filter((o) => o.segment.size > 0)
    const segments = [...keep, ...fresh.map((o) => o.segment)]
    const liveBytes = segments.reduce((sum, s) => sum + s.size, 0)
    const unchanged = fresh.length === 0 && swept === 0 && keep.size === input.segments.length && input.ignored === undefined
    if (unchanged) return summary({ entries, bytes: liveBytes })

    for (const output of fresh) await output.writer.finish()
    const manifest = buildManifest(input.fingerprint, segments, input.links, used)
    const text = serializeManifest(manifest)
    const temporary = join(dir, `${MANIFEST_FILE}.${randomBytes(4).toString('hex')}.tmp`)
    await mkdir(dir, { recursive: true })
    await writeFile(temporary, text)
    await rename(temporary, join(dir, MANIFEST_FILE))
    await sweepFiles(dir, new Set(manifest.segments))
    return summary({ swept, entries, bytes: liveBytes + Buffer.byteLength(text) })
  } catch (err) {
    return summary({ error: `could not save the render cache: ${message(err)}` })
  }
}

/** Old segments worth keeping as they are: mostly live, and not too many (the largest win). */
function segmentsToKeep(segments: readonly Segment[]): Set<Segment> {
  const candidates = segments.filter((s) => s.reader !== undefined && s.live > 0 && s.live >= s.size * RENDER_CACHE_MIN_LIVE)
  candidates.sort((a, b) => b.live - a.live)
  // Places are left for the two segments this build writes.
  return new Set(candidates.slice(0, RENDER_CACHE_MAX_SEGMENTS - 2))
}

function buildManifest(
  fingerprint: string,
  segments: readonly Segment[],
  oldLinks: readonly LinkRecord[],
  used: { markdown: ReadonlyMap<string, CachedMarkdown>; pages: ReadonlyMap<string, CachedPage> },
): Manifest {
  const segmentIndex = new Map(segments.map((s, i) => [s, i]))
  const place = (e: Entry) => [segmentIndex.get(e.segment)!, e.blob.offset, e.blob.length, e.blob.crc] as const
  const markdown: MarkdownRecord[] = []
  for (const [key, e] of used.markdown) markdown.push([key, ...place(e), e.firstParagraph, e.readingMinutes, e.errors, e.warnings, e.refs])
  // Only the links of pages kept stay in the table, renumbered.
  const links: LinkRecord[] = []
  const renumbered = new Map<number, number>()
  const pages: PageRecord[] = []
  for (const [key, e] of used.pages) {
    const ids = e.links.map((id) => {
      let n = renumbered.get(id)
      if (n === undefined) {
        n = links.push(oldLinks[id]!) - 1
        renumbered.set(id, n)
      }
      return n
    })
    pages.push([key, ...place(e), ids])
  }
  return { format: RENDER_CACHE_FORMAT, fingerprint, segments: segments.map((s) => s.name), links, markdown, pages }
}

/** Removes segments the manifest does not name, and temporary files left by builds that died. */
async function sweepFiles(dir: string, live: ReadonlySet<string>): Promise<void> {
  const now = Date.now()
  for (const name of await readdir(dir)) {
    const path = join(dir, name)
    if (SEGMENT.test(name)) {
      if (!live.has(name)) await rm(path, { force: true })
    } else if (TEMPORARY.test(name)) {
      // Another build may be writing it right now: only an old one is surely abandoned.
      const info = await stat(path).catch(() => undefined)
      if (info !== undefined && now - info.mtimeMs > RENDER_CACHE_STALE_TEMP_MS) await rm(path, { force: true })
    }
  }
}

function countOld(entries: Iterable<Entry>, written: ReadonlySet<Segment>): number {
  let n = 0
  for (const e of entries) if (!written.has(e.segment)) n++
  return n
}

function countSwept(previous: ReadonlyMap<string, Entry>, used: ReadonlyMap<string, Entry>): number {
  let n = 0
  for (const key of previous.keys()) if (!used.has(key)) n++
  return n
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
