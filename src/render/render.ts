/**
 * `renderSite`: a pure function from a `SiteSource` to the files of the site. It reads no
 * file, clock or environment; the same source gives the same bytes. Every problem found
 * anywhere is collected and thrown at the end in one `RenderError`.
 *
 * It runs in two phases (`site-plan.ts`, then `assemble.ts`) with the Markdown of each
 * post rendered in between; `render-parallel.ts` renders that Markdown on worker threads
 * and gives the same bytes. With a render cache, posts and pages found in it are taken
 * from it, byte for byte what rendering them would give.
 */
import type { Diagnostic } from '../errors.ts'
import type { BuildProgressEvents, ProgressOptions } from '../events.ts'
import { createAssembler } from './assemble.ts'
import type { RenderCache } from './cache/index.ts'
import { fromRender, markdownWork, renderHere } from './post-markdown.ts'
import { planSite } from './site-plan.ts'
import type { OutputFile, SiteSource } from './types.ts'

export interface RenderedSite {
  /** Sorted by path; byte-identical for the same source. */
  files: OutputFile[]
  posts: number
  /** HTML files in the output. */
  pages: number
  warnings: Diagnostic[]
}

export interface RenderOptions extends ProgressOptions<BuildProgressEvents> {
  /** Rendered posts and pages from earlier builds; what this one renders is put in it. */
  cache?: RenderCache | undefined
}

export function renderSite(source: SiteSource, options: RenderOptions = {}): RenderedSite {
  const { cache } = options
  const plan = planSite(source)
  const site = createAssembler(plan, options)
  const render = renderHere(source.config.markdown, plan.refs)
  for (const post of markdownWork(plan, cache, render).posts) site.addPost(post.cached ?? fromRender(render(post.job), post.key, cache))
  return site.finish()
}
