/**
 * `renderSite`: a pure function from a `SiteSource` to the files of the site. It reads no
 * file, clock or environment; the same source gives the same bytes. Every problem found
 * anywhere is collected and thrown at the end in one `RenderError`.
 *
 * It runs in two phases (`site-plan.ts`, then `assemble.ts`) with the Markdown of each
 * post rendered in between; `render-parallel.ts` renders that Markdown on worker threads
 * and gives the same bytes.
 */
import type { Diagnostic } from '../errors.ts'
import type { BuildProgressEvents, ProgressOptions } from '../events.ts'
import { createAssembler } from './assemble.ts'
import { createMarkdownRenderer } from './markdown/index.ts'
import { refResolver } from './refs.ts'
import { markdownJobs, planSite } from './site-plan.ts'
import type { OutputFile, SiteSource } from './types.ts'

export interface RenderedSite {
  /** Sorted by path; byte-identical for the same source. */
  files: OutputFile[]
  posts: number
  /** HTML files in the output. */
  pages: number
  warnings: Diagnostic[]
}

export function renderSite(source: SiteSource, options: ProgressOptions<BuildProgressEvents> = {}): RenderedSite {
  const plan = planSite(source)
  const site = createAssembler(plan, options)
  const markdown = createMarkdownRenderer(source.config.markdown)
  const resolveRef = refResolver(plan.refs)
  for (const job of markdownJobs(plan)) {
    site.addPost(markdown.render(job.body, { file: job.file, lineOffset: job.lineOffset, resolveRef }))
  }
  return site.finish()
}
