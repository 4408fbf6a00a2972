/**
 * The build stage: render the blog with the built-in renderer, or run another
 * generator's command; then (unless dry-run) write the output folder.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { PARALLEL_RENDER_MIN_POSTS } from '../constants.ts'
import { BuildCommandError, type Diagnostic } from '../errors.ts'
import type { AbortOptions, BuildProgressEvents, ProgressOptions } from '../events.ts'
import { FileQueue } from './file-queue.ts'
import { loadSite, type RenderedSite, renderSite } from './index.ts'
import { defaultWorkerCount } from './markdown/pool.ts'
import { renderSiteInParallel } from './render-parallel.ts'
import type { OutputFile } from './types.ts'
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
   * Render in memory only and write nothing (ignored with `command`, which writes its own output).
   * @default false
   */
  dryRun?: boolean
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
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  if (options.command !== undefined) return runCommand(options.command, options)
  const { signal, onProgress } = options
  const source = await loadSite(options.site, { signal, onProgress })
  signal?.throwIfAborted()
  const write = options.dryRun !== true
  const workers = defaultWorkerCount()
  let site: RenderedSite
  let written: WriteResult | undefined
  if (source.posts.length >= PARALLEL_RENDER_MIN_POSTS && workers > 0) {
    // Large sites: Markdown on worker threads, and each file written as soon as it is made.
    const queue = write ? new FileQueue() : undefined
    const writing = queue === undefined ? undefined : writeSite(queue, options.out, { signal })
    // Awaited once rendering is done; a write failing before then must not count as unhandled.
    writing?.catch(() => {})
    try {
      site = await renderSiteInParallel(source, { signal, onProgress, workers, onFile: queue?.push })
      queue?.end()
    } catch (err) {
      // The writer removes what it wrote; wait for it, then report the render's error.
      queue?.fail(err)
      await writing?.catch(() => {})
      throw err
    }
    written = await writing
  } else {
    site = renderSite(source, { onProgress })
    if (write) written = await writeSite(site.files, options.out, { signal })
  }
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
  }
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
  return { generator: 'command', output: undefined, outDir: options.out, files, pages, posts: 0, bytes, warnings: [] }
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
