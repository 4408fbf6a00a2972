/**
 * `renderSite` with the posts' Markdown rendered on worker threads: the same plan, the
 * same assembly in the same order, so the same bytes. The calling thread assembles pages
 * while the workers render the Markdown of the posts after them. With a render cache, only
 * the posts it does not have are rendered, on workers only when there are many.
 */
import { PARALLEL_RENDER_MIN_POSTS } from '../constants.ts'
import type { AbortOptions } from '../events.ts'
import { createAssembler } from './assemble.ts'
import type { RenderCache } from './cache/index.ts'
import { createMarkdownPool, defaultWorkerCount, type MarkdownPool } from './markdown/pool.ts'
import { fromRender, markdownWork, renderHere } from './post-markdown.ts'
import type { RenderedSite, RenderOptions } from './render.ts'
import { planSite } from './site-plan.ts'
import type { MarkdownJob } from './markdown/pool-protocol.ts'
import type { MarkdownResult, OutputFile, SiteSource } from './types.ts'

export interface ParallelRenderOptions extends AbortOptions, RenderOptions {
  /** Worker threads. @default one per core besides this thread, at most RENDER_WORKERS_MAX */
  workers?: number
  /** The Markdown worker script (tests only). */
  workerUrl?: URL
  /** Receives each file as soon as it is made, before the site is complete. */
  onFile?: (file: OutputFile) => void
}

export async function renderSiteInParallel(source: SiteSource, options: ParallelRenderOptions = {}): Promise<RenderedSite> {
  const { signal, onProgress, onFile, cache } = options
  const workers = options.workers ?? defaultWorkerCount()
  const startPool = () => createMarkdownPool({ markdown: source.config.markdown, workers, workerUrl: options.workerUrl })
  // Without a cache (or with one that cannot hold most posts) the workers start now and load
  // their modules while this thread reads the posts' front matter; otherwise only once it is
  // known that enough posts are missing from the cache to be worth them.
  let pool: MarkdownPool | undefined = likelyCold(cache, source) ? startPool() : undefined
  try {
    const plan = planSite(source)
    const site = createAssembler(plan, { onProgress, onFile, cache })
    const render = renderHere(source.config.markdown, plan.refs)
    const work = markdownWork(plan, cache, render)
    if (pool === undefined && work.misses.length >= PARALLEL_RENDER_MIN_POSTS) pool = startPool()
    const results: AsyncIterator<MarkdownResult> | Iterator<MarkdownResult> =
      pool === undefined ? renderEach(work.misses, render) : pool.render(work.misses, plan.refs, { signal })
    try {
      for (const post of work.posts) {
        // The pool watches the signal while it renders; cached posts and posts rendered here need this.
        signal?.throwIfAborted()
        if (post.cached !== undefined) {
          site.addPost(post.cached)
          continue
        }
        const next = await results.next()
        if (next.done === true) throw new Error('fewer Markdown results than posts to render')
        site.addPost(fromRender(next.value, post.key, cache))
      }
    } finally {
      await results.return?.()
    }
    return site.finish()
  } finally {
    await pool?.close()
  }
}

/** Renders on this thread, one job at a time as results are taken. */
function* renderEach(jobs: readonly MarkdownJob[], render: (job: MarkdownJob) => MarkdownResult): Generator<MarkdownResult> {
  for (const job of jobs) yield render(job)
}

/** Whether most posts will have to be rendered: no cache, or one holding fewer than half as many posts. */
function likelyCold(cache: RenderCache | undefined, source: SiteSource): boolean {
  return cache === undefined || cache.markdownEntries < source.posts.length / 2
}
