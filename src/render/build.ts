/**
 * The build stage: render the blog with the built-in renderer, or run another
 * generator's command; then (unless dry-run) write the output folder.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { PARALLEL_RENDER_MIN_POSTS, RENDER_CACHE_DIR } from '../constants.ts'
import { BuildCommandError, type Diagnostic, RenderError } from '../errors.ts'
import type { AbortOptions, BuildProgressEvents, ProgressOptions, RenderCacheReport } from '../events.ts'
import { openRenderCache, type RenderCache, type RenderCacheSummary } from './cache/index.ts'
import { FileQueue } from './file-queue.ts'
import { loadSite, type RenderedSite, renderSite } from './index.ts'
import { defaultWorkerCount } from './markdown/pool.ts'
import { renderSiteInParallel } from './render-parallel.ts'
import type { OutputFile, SiteSource } from './types.ts'
import { outputSize, type WriteResult, writeSite } from './write.ts'

/** How long a cancelled build command gets to exit after SIGTERM before SIGKILL. */
const COMMAND_KILL_GRACE_MS = 5000

export interface BuildOptions extends AbortOptions, ProgressOptions<BuildProgressEvents> {
  /** The blog folder (posts/, templates/, assets/, site.config.ts). */
  site: string
  /** Where the site is written; with `command`, the folder that command writes. */
  out: string
  /** Build with this shell command (another generator) instead of the built-in renderer. */
  command?: string | undefined
  /** The working directory of `command`. */
  root: string
  /**
   * Render in memory only and write no site (ignored with `command`, which writes its own
   * output). The render cache is still read and updated.
   * @default false
   */
  dryRun?: boolean
  /**
   * A folder where each post's rendered Markdown and each page are kept between builds, so
   * a rebuild renders only what changed; the output is byte for byte the same. Created when
   * first needed. `renderCacheDir(config)` gives `<store>/render-cache`, or undefined when
   * the config turns the cache off.
   * @default undefined (no cache: every post and page is rendered)
   */
  cacheDir?: string | undefined
}

export interface BuildResult {
  generator: 'ipfs-publish' | 'command'
  /** The rendered files, sorted by path (built-in renderer only). */
  output: OutputFile[] | undefined
  /** The folder holding the site on disk, or undefined for a dry run of the built-in renderer. */
  outDir: string | undefined
  files: number
  /** HTML pages. */
  pages: number
  posts: number
  bytes: number
  warnings: Diagnostic[]
  /** What the render cache gave and kept (built-in renderer with `cacheDir` only). */
  cache: RenderCacheReport | undefined
}

/** The render cache's folder for a config: `<store>/render-cache`, or undefined when `build.cache` is false. */
export function renderCacheDir(config: { store: string; build: { cache: boolean } }): string | undefined {
  return config.build.cache ? join(config.store, RENDER_CACHE_DIR) : undefined
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  if (options.command !== undefined) return runCommand(options.command, options)
  const { signal, onProgress } = options
  // The cache's manifest is read while the posts are.
  const opening = options.cacheDir === undefined ? undefined : openCache(options.cacheDir)
  let source: SiteSource
  try {
    source = await loadSite(options.site, { signal, onProgress })
  } catch (err) {
    await (await opening)?.cache?.discard()
    throw err
  }
  const opened = await opening
  const cache = opened?.cache
  let rendered: { site: RenderedSite; written: WriteResult | undefined }
  try {
    signal?.throwIfAborted()
    rendered = await renderAndWrite(source, cache, options)
  } catch (err) {
    // A site with errors in it was still rendered whole: what it rendered is kept for the
    // build after the fix. A stopped or crashed build keeps nothing.
    if (cache?.complete === true && err instanceof RenderError) await cache.save()
    else await cache?.discard()
    throw err
  }
  const { site, written } = rendered
  const saved = opened === undefined ? undefined : opened.cache === undefined ? opened.failed : await opened.cache.save()
  const cacheReport = saved === undefined ? undefined : reportCache(saved, site)
  if (cacheReport !== undefined) onProgress?.({ type: 'build:cache', detail: cacheReport })
  for (const warning of site.warnings) onProgress?.({ type: 'build:warning', detail: warning })
  if (written !== undefined) onProgress?.({ type: 'build:write', detail: written })
  const bytes = site.files.reduce((sum, f) => sum + outputSize(f), 0)
  return {
    generator: 'ipfs-publish',
    output: site.files,
    outDir: written?.dir,
    files: site.files.length,
    pages: site.pages,
    posts: site.posts,
    bytes,
    warnings: site.warnings,
    cache: cacheReport,
  }
}

/**
 * The render cache, or, when it cannot even be opened (the renderer's own files unreadable
 * to fingerprint), the summary that says so: the build then renders everything.
 */
async function openCache(dir: string): Promise<{ cache: RenderCache; failed?: undefined } | { cache?: undefined; failed: RenderCacheSummary }> {
  try {
    return { cache: await openRenderCache(dir) }
  } catch (err) {
    const error = `could not open the render cache: ${err instanceof Error ? err.message : String(err)}`
    return { failed: { dir, markdownCached: 0, pagesCached: 0, corrupt: 0, swept: 0, entries: 0, bytes: 0, error } }
  }
}

function reportCache(saved: RenderCacheSummary, site: RenderedSite): RenderCacheReport {
  const { markdownCached, pagesCached, ...rest } = saved
  return {
    ...rest,
    posts: { cached: markdownCached, rendered: site.posts - markdownCached },
    pages: { cached: pagesCached, rendered: site.pages - pagesCached },
  }
}

async function renderAndWrite(source: SiteSource, cache: RenderCache | undefined, options: BuildOptions): Promise<{ site: RenderedSite; written: WriteResult | undefined }> {
  const { signal, onProgress } = options
  const write = options.dryRun !== true
  const workers = defaultWorkerCount()
  if (source.posts.length < PARALLEL_RENDER_MIN_POSTS || workers === 0) {
    const site = renderSite(source, { onProgress, cache })
    return { site, written: write ? await writeSite(site.files, options.out, { signal }) : undefined }
  }
  // Large sites: Markdown on worker threads, and each file written as soon as it is made.
  const queue = write ? new FileQueue() : undefined
  const writing = queue === undefined ? undefined : writeSite(queue, options.out, { signal })
  // Awaited once rendering is done; a write failing before then must not count as unhandled.
  writing?.catch(() => {})
  let site: RenderedSite
  try {
    site = await renderSiteInParallel(source, { signal, onProgress, workers, onFile: queue?.push, cache })
    queue?.end()
  } catch (err) {
    // The writer removes what it wrote; wait for it, then report the render's error.
    queue?.fail(err)
    await writing?.catch(() => {})
    throw err
  }
  return { site, written: await writing }
}

async function runCommand(command: string, options: BuildOptions): Promise<BuildResult> {
  const { execa } = await import('execa')
  options.onProgress?.({ type: 'build:command', detail: { command } })
  try {
    // The generator's own output goes to our stderr so a CI log shows it; stdout stays free
    // for --json.
    await execa(command, {
      cwd: options.root,
      shell: true,
      stdin: 'ignore',
      stdout: 2,
      stderr: 2,
      cancelSignal: options.signal,
      forceKillAfterDelay: COMMAND_KILL_GRACE_MS,
    })
  } catch (err) {
    const e = err as { exitCode?: number; isCanceled?: boolean; shortMessage?: string }
    if (e.isCanceled === true) throw err
    throw new BuildCommandError(
      `build.command failed${e.exitCode === undefined ? '' : ` with exit code ${e.exitCode}`}: ${command}\n` +
        'Run it by hand in the project root to see why; fix it or change build.command in the config.',
      { cause: err },
    )
  }
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(options.out)
  } catch (err) {
    throw new BuildCommandError(
      `build.command finished but its output folder ${options.out} does not exist: set build.out to the folder the command writes`,
      { cause: err },
    )
  }
  if (!info.isDirectory()) throw new BuildCommandError(`build.out ${options.out} is not a folder`)
  const { files, bytes, pages } = await countTree(options.out)
  return { generator: 'command', output: undefined, outDir: options.out, files, pages, posts: 0, bytes, warnings: [], cache: undefined }
}

/** Counts what another generator wrote, for the build summary. */
async function countTree(dir: string): Promise<{ files: number; bytes: number; pages: number }> {
  let files = 0
  let bytes = 0
  let pages = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    files++
    bytes += (await stat(join(entry.parentPath, entry.name))).size
    if (entry.name.endsWith('.html')) pages++
  }
  return { files, bytes, pages }
}
