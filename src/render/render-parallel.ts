/**
 * `renderSite` with the posts' Markdown rendered on worker threads: the same plan, the
 * same assembly in the same order, so the same bytes. The calling thread assembles pages
 * while the workers render the Markdown of the posts after them.
 */
import type { AbortOptions, BuildProgressEvents, ProgressOptions } from '../events.ts'
import { createAssembler } from './assemble.ts'
import { createMarkdownPool, defaultWorkerCount } from './markdown/pool.ts'
import type { RenderedSite } from './render.ts'
import { markdownJobs, planSite } from './site-plan.ts'
import type { OutputFile, SiteSource } from './types.ts'

export interface ParallelRenderOptions extends AbortOptions, ProgressOptions<BuildProgressEvents> {
  /** Worker threads. @default one per core besides this thread, at most RENDER_WORKERS_MAX */
  workers?: number
  /** The Markdown worker script (tests only). */
  workerUrl?: URL
  /** Receives each file as soon as it is made, before the site is complete. */
  onFile?: (file: OutputFile) => void
}

export async function renderSiteInParallel(source: SiteSource, options: ParallelRenderOptions = {}): Promise<RenderedSite> {
  const { signal, onProgress, onFile } = options
  // Workers start (and load their modules) while this thread reads the posts' front matter.
  const pool = createMarkdownPool({ markdown: source.config.markdown, workers: options.workers ?? defaultWorkerCount(), workerUrl: options.workerUrl })
  try {
    const plan = planSite(source)
    const site = createAssembler(plan, { onProgress, onFile })
    for await (const md of pool.render(markdownJobs(plan), plan.refs, { signal })) site.addPost(md)
    return site.finish()
  } finally {
    await pool.close()
  }
}
