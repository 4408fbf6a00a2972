/**
 * The second phase of rendering: each post's page from its rendered Markdown (given in the
 * plan's order, from this thread, from workers or from the render cache), then the list
 * pages, feeds and the rest. Pages are encoded to bytes as they are made, so only the
 * bytes stay in memory.
 */
import { FEED_ITEMS } from '../constants.ts'
import { type Diagnostic, RenderError } from '../errors.ts'
import type { BuildProgressEvents, ProgressOptions } from '../events.ts'
import { pageCache, type RenderCache } from './cache/index.ts'
import { createDayFormatter } from './dates.ts'
import { type FeedEntry, renderFeeds } from './feeds.ts'
import { compareStrings } from './files.ts'
import { LinkReport } from './link-report.ts'
import { rewriteLinks } from './links.ts'
import { type PageContext, postMeta, renderList, renderNotFound, renderPostPage, renderRedirect, renderTagsIndex } from './pages.ts'
import { outputPathOf } from './paths.ts'
import type { PostMarkdown } from './post-markdown.ts'
import type { Post } from './posts.ts'
import type { RenderedSite } from './render.ts'
import type { SitePlan } from './site-plan.ts'
import { renderRedirects, renderRobots, renderSitemap, type SitemapEntry } from './sitemap.ts'
import type { OutputFile } from './types.ts'
import { dateView, type PostCard, postCard, siteUrl, siteView, tagView } from './views.ts'

export interface SiteAssembler {
  /** The rendered Markdown of the next post of `plan.posts`. */
  addPost(md: PostMarkdown): void
  /** Renders everything else and returns the site; throws a `RenderError` listing every problem. */
  finish(): RenderedSite
}

export interface AssembleOptions extends ProgressOptions<BuildProgressEvents> {
  /** Receives each file of the site as soon as it is made (to write it while rendering goes on). */
  onFile?: ((file: OutputFile) => void) | undefined
  /** Pages from earlier builds, and where the pages rendered now are kept. */
  cache?: RenderCache | undefined
}

export function createAssembler(plan: SitePlan, options: AssembleOptions = {}): SiteAssembler {
  const { config } = plan.source
  const { posts, routes, index, errors, warnings } = plan
  const files: OutputFile[] = []
  const add = (file: OutputFile) => {
    files.push(file)
    options.onFile?.(file)
  }
  for (const f of plan.source.files) add({ path: f.path, content: f.ref })
  const total = posts.length + routes.aliases.length + routes.home.length + routes.tags.reduce((n, t) => n + t.pages.length, 0) + 3
  let done = 0
  const ctx: PageContext = {
    config,
    site: siteView(config),
    templates: plan.templates,
    index,
    report: new LinkReport(errors),
    stylesheets: new Map(plan.source.stylesheets.map((s) => [s.file, s.text])),
    cache: options.cache === undefined ? undefined : pageCache(options.cache, { config, templates: plan.source.templates, index }),
    emit(path, content) {
      add({ path, content })
      options.onProgress?.({ type: 'build:page', detail: { path, done: ++done, total } })
    },
  }

  const translations = new Map<string, Post[]>()
  for (const post of posts) {
    if (post.translationKey === undefined) continue
    const group = translations.get(post.translationKey) ?? []
    group.push(post)
    translations.set(post.translationKey, group)
  }

  const format = createDayFormatter(config.language)
  const cards = new Map<Post, PostCard>()
  const feed: FeedEntry[] = []
  const sitemap: SitemapEntry[] = []
  let next = 0

  const addPost = (md: PostMarkdown): void => {
    const post = posts[next++]
    if (post === undefined) throw new Error('more Markdown results than posts')
    errors.push(...md.errors)
    warnings.push(...md.warnings)
    const summary = post.description ?? md.firstParagraph()
    const card = postCard(post, summary, md.readingMinutes, format)
    cards.set(post, card)
    const group = (post.translationKey === undefined ? undefined : translations.get(post.translationKey)) ?? []
    const view = {
      ...card,
      description: summary,
      lead: post.description,
      updated: post.updated === undefined ? undefined : dateView(post.updated, format),
      translations: group.filter((t) => t !== post).map((t) => ({ lang: t.lang, title: t.title, url: siteUrl(t.urlPath) })),
    }
    const meta = postMeta(config, post, view, group.length > 1 ? group : [])
    renderPostPage(ctx, outputPathOf(post.urlPath), post, meta, view, md)
    sitemap.push({ urlPath: post.urlPath, lastmod: (post.updated ?? post.date).iso })
    if (feed.length < FEED_ITEMS) {
      const { html } = md.content()
      const content = rewriteLinks(html, {
        page: outputPathOf(post.urlPath),
        index,
        content: { start: 0, end: html.length, sourceFile: post.file },
        mode: 'absolute',
      }).html
      feed.push({ post, summary, content })
    }
  }

  const finish = (): RenderedSite => {
    if (next !== posts.length) throw new Error(`Markdown results for ${next} of ${posts.length} posts`)
    for (const page of routes.home) {
      renderList(ctx, page, cards)
      sitemap.push({ urlPath: page.urlPath, lastmod: page.items[0]?.date.iso })
    }
    for (const { tag, pages } of routes.tags) {
      for (const page of pages) {
        renderList(ctx, page, cards, tagView(tag))
        sitemap.push({ urlPath: page.urlPath, lastmod: page.items[0]?.date.iso })
      }
    }
    renderTagsIndex(ctx, routes.tags.map(({ tag, pages }) => ({ ...tagView(tag), count: pages.reduce((n, p) => n + p.items.length, 0) })))
    sitemap.push({ urlPath: '/tags/', lastmod: undefined })
    renderNotFound(ctx)
    for (const alias of routes.aliases) renderRedirect(ctx, alias)

    const encoder = new TextEncoder()
    const text = (path: string, content: string) => add({ path, content: encoder.encode(content) })
    for (const [path, content] of Object.entries(renderFeeds(config, feed))) text(path, content)
    text('sitemap.xml', renderSitemap(config.baseUrl, sitemap))
    text('robots.txt', renderRobots(config.baseUrl))
    text('_redirects', renderRedirects(routes.aliases))
    options.cache?.markComplete()

    if (errors.length > 0) throw new RenderError(sortDiagnostics(errors))
    files.sort((a, b) => compareStrings(a.path, b.path))
    const pages = files.filter((f) => f.path.endsWith('.html')).length
    return { files, posts: posts.length, pages, warnings: sortDiagnostics(warnings) }
  }

  return { addPost, finish }
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => compareStrings(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.message, b.message))
}
