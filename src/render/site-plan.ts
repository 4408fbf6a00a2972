/**
 * The first phase of rendering: every post's front matter read, templates compiled and
 * every output path decided. Nothing here depends on the Markdown bodies, so their
 * rendering (the costly part) can happen anywhere once the plan is made.
 */
import type { Diagnostic } from '../errors.ts'
import { indexAuthors } from './authors.ts'
import { compareStrings } from './files.ts'
import type { LinkIndex } from './link-resolve.ts'
import type { MarkdownJob } from './markdown/pool-protocol.ts'
import { type Post, readPost } from './posts.ts'
import { type RefTable, refTable } from './refs.ts'
import { planRoutes, type RoutePlan } from './routes.ts'
import { TagRegistry } from './tags.ts'
import { compileTemplates, type Templates } from './templates.ts'
import type { SiteSource } from './types.ts'

export interface SitePlan {
  source: SiteSource
  /** Published posts, newest first: the order their pages are rendered in. */
  posts: Post[]
  templates: Templates
  routes: RoutePlan
  index: LinkIndex
  refs: RefTable
  /** Problems found so far; rendering adds to them. */
  errors: Diagnostic[]
  warnings: Diagnostic[]
}

const byNewest = (a: Post, b: Post): number => b.date.time - a.date.time || compareStrings(a.slug, b.slug) || compareStrings(a.file, b.file)

export function planSite(source: SiteSource): SitePlan {
  const { config } = source
  const errors: Diagnostic[] = []
  const warnings: Diagnostic[] = []
  const postContext = {
    config,
    authors: indexAuthors(config.authors),
    tags: new TagRegistry(),
    files: new Set(source.files.map((f) => f.path)),
    errors,
    warnings,
  }
  const posts: Post[] = []
  for (const src of source.posts) {
    const post = readPost(src, postContext)
    if (post !== undefined) posts.push(post)
  }
  posts.sort(byNewest)
  const templates = compileTemplates(source.templates, errors)
  const routes = planRoutes(posts, source.files, config.postsPerPage, errors)
  const refs = refTable(posts)
  const index: LinkIndex = { files: routes.files, sources: new Map(refs.sources), baseUrl: config.baseUrl }
  return { source, posts, templates, routes, index, refs, errors, warnings }
}

/** The Markdown of each post, in the plan's order. */
export function markdownJobs(plan: SitePlan): MarkdownJob[] {
  return plan.posts.map((post) => ({ file: post.file, body: post.body, lineOffset: post.lineOffset }))
}
