/**
 * Each post's Markdown as the assembler takes it: rendered in this build, or taken from
 * the render cache. A cached post's HTML is read only when its page must be rendered
 * again (or the feed needs it); its summary and reading time are always at hand.
 */
import type { Diagnostic } from '../errors.ts'
import type { CachedMarkdown, RenderCache } from './cache/index.ts'
import { digest } from './cache/keys.ts'
import type { MarkdownJob } from './markdown/pool-protocol.ts'
import { createMarkdownRenderer } from './markdown/renderer.ts'
import { type RefTable, refResolver } from './refs.ts'
import { markdownJobs, type SitePlan } from './site-plan.ts'
import { firstParagraph, readingMinutes } from './summary.ts'
import type { Heading, MarkdownOptions, MarkdownResult, RefUse } from './types.ts'

export interface PostMarkdown {
  /**
   * What this post's HTML and headings are a function of, for the render cache: the key
   * of its Markdown and what its refs resolved to. Undefined without a cache.
   */
  key: string | undefined
  errors: Diagnostic[]
  warnings: Diagnostic[]
  readingMinutes: number
  /** The text of the first paragraph: the summary of a post without a description. */
  firstParagraph(): string
  content(): { html: string; headings: Heading[] }
}

/** What rendering the posts' Markdown comes to with a cache: what it has, and what is left to render. */
export interface MarkdownWork {
  /** One per post of the plan, in its order: the cached Markdown, or the job to render and its key. */
  posts: { job: MarkdownJob; key: string | undefined; cached: PostMarkdown | undefined }[]
  /** The jobs of the posts not cached, in the plan's order. */
  misses: MarkdownJob[]
}

/** Renders one post on this thread: for small sites, and for a cached post whose HTML cannot be read back. */
export type RenderHere = (job: MarkdownJob) => MarkdownResult

export function renderHere(options: MarkdownOptions, refs: RefTable): RenderHere {
  let here: { render: ReturnType<typeof createMarkdownRenderer>['render']; resolveRef: (ref: string) => string | undefined } | undefined
  return (job) => {
    here ??= { render: createMarkdownRenderer(options).render, resolveRef: refResolver(refs) }
    return here.render(job.body, { file: job.file, lineOffset: job.lineOffset, resolveRef: here.resolveRef })
  }
}

/** Looks every post up in `cache` (none: every post is a miss). */
export function markdownWork(plan: SitePlan, cache: RenderCache | undefined, render: RenderHere): MarkdownWork {
  const jobs = markdownJobs(plan)
  if (cache === undefined) return { posts: jobs.map((job) => ({ job, key: undefined, cached: undefined })), misses: jobs }
  const options = plan.source.config.markdown
  let resolveRef: ((ref: string) => string | undefined) | undefined
  const resolve = (ref: string) => {
    resolveRef ??= refResolver(plan.refs)
    return resolveRef(ref)
  }
  const posts: MarkdownWork['posts'] = []
  const misses: MarkdownJob[] = []
  for (const job of jobs) {
    const key = cache.markdownKey(options, job)
    const entry = cache.getMarkdown(key, resolve)
    if (entry === undefined) misses.push(job)
    posts.push({ job, key, cached: entry === undefined ? undefined : fromCache(cache, key, entry, () => fromRender(render(job), key, cache)) })
  }
  return { posts, misses }
}

/** A post rendered in this build; put in `cache` under `key` when there is one. */
export function fromRender(result: MarkdownResult, key: string | undefined, cache: RenderCache | undefined): PostMarkdown {
  const minutes = readingMinutes(result.text)
  const kept = key === undefined ? undefined : cache?.putMarkdown(key, result, minutes)
  const { html, headings, errors, warnings } = result
  let first: string | undefined
  return {
    key: key === undefined ? undefined : contentKey(key, result.refs),
    errors,
    warnings,
    readingMinutes: minutes,
    firstParagraph() {
      // Only when the post has no description: kept with the entry for the next build.
      first ??= firstParagraph(html)
      if (kept !== undefined) kept.firstParagraph = first
      return first
    },
    content: () => ({ html, headings }),
  }
}

/**
 * A Markdown key stands for the post's source, not for what its refs resolved to: two
 * builds can resolve one ref to two pages that both exist, and give two HTMLs.
 */
function contentKey(key: string, refs: readonly RefUse[]): string {
  return refs.length === 0 ? key : digest(key, JSON.stringify(refs))
}

function fromCache(cache: RenderCache, key: string, entry: CachedMarkdown, renderAgain: () => PostMarkdown): PostMarkdown {
  // Not kept once read: the assembler may need the HTML twice (page, feed), never for long.
  let again: PostMarkdown | undefined
  return {
    key: contentKey(key, entry.refs),
    errors: entry.errors,
    warnings: entry.warnings,
    readingMinutes: entry.readingMinutes,
    firstParagraph() {
      // A build before this one did not need it (the post had a description then).
      entry.firstParagraph ??= firstParagraph(this.content().html)
      return entry.firstParagraph
    },
    content() {
      if (again === undefined) {
        const read = cache.readMarkdown(key, entry)
        if (read !== undefined) return read
        // Unreadable bytes are rendered again: the key and refs matched, so the result is the same.
        again = renderAgain()
      }
      return again.content()
    },
  }
}
