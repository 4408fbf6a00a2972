/**
 * The second phase of rendering: each post's page from its rendered Markdown (given in the
 * plan's order, from this thread or from workers), then the list pages, feeds and the rest.
 * Pages are encoded to bytes as they are made, so only the bytes stay in memory.
 */
import { FEED_ITEMS } from '../constants.ts'
import { type Diagnostic, RenderError } from '../errors.ts'
import type { BuildProgressEvents, ProgressOptions } from '../events.ts'
import { createDayFormatter } from './dates.ts'
import { type FeedEntry, renderFeeds } from './feeds.ts'
import { compareStrings } from './files.ts'
import { LinkReport } from './link-report.ts'
import { rewriteLinks } from './links.ts'
import { type PageContext, postMeta, renderList, renderNotFound, renderPage, renderRedirect, renderTagsIndex } from './pages.ts'
import { outputPathOf } from './paths.ts'
import type { Post } from './posts.ts'
import type { RenderedSite } from './render.ts'
import type { SitePlan } from './site-plan.ts'
import { renderRedirects, renderRobots, renderSitemap, type SitemapEntry } from './sitemap.ts'
import { firstParagraph, readingMinutes } from './summary.ts'
import type { MarkdownResult, OutputFile } from './types.ts'
import { dateView, type PostCard, type PostView, postCard, siteUrl, siteView, tagView } from './views.ts'

export interface SiteAssembler {
  /** The rendered Markdown of the next post of `plan.posts`. */
  addPost(md: MarkdownResult): void
  /** Renders everything else and returns the site; throws a `RenderError` listing every problem. */
  finish(): RenderedSite
}

export interface AssembleOptions extends ProgressOptions<BuildProgressEvents> {
  /** Receives each file of the site as soon as it is made (to write it while rendering goes on). */
  onFile?: ((file: OutputFile) => void) | undefined
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
  const encoder = new TextEncoder()
  const total = posts.length + routes.aliases.length + routes.home.length + routes.tags.reduce((n, t) => n + t.pages.length, 0) + 3
  let done = 0
  const ctx: PageContext = {
    config,
    site: siteView(config),
    templates: plan.templates,
    index,
    report: new LinkReport(errors),
    stylesheets: new Map(plan.source.stylesheets.map((s) => [s.file, s.text])),
    emit(path, html) {
      add({ path, content: encoder.encode(html) })
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

  const addPost = (md: MarkdownResult): void => {
    const post = posts[next++]
    if (post === undefined) throw new Error('more Markdown results than posts')
    errors.push(...md.errors)
    warnings.push(...md.warnings)
    const summary = post.description ?? firstParagraph(md.html)
    const card = postCard(post, summary, readingMinutes(md.text), format)
    cards.set(post, card)
    const group = (post.translationKey === undefined ? undefined : translations.get(post.translationKey)) ?? []
    const view: PostView = {
      ...card,
      description: summary,
      lead: post.description,
      updated: post.updated === undefined ? undefined : dateView(post.updated, format),
      content: md.html,
      headings: md.headings,
      translations: group.filter((t) => t !== post).map((t) => ({ lang: t.lang, title: t.title, url: siteUrl(t.urlPath) })),
    }
    const meta = postMeta(config, post, view, group.length > 1 ? group : [])
    renderPage(ctx, 'post', outputPathOf(post.urlPath), { page: meta, post: view }, { html: md.html, post })
    sitemap.push({ urlPath: post.urlPath, lastmod: (post.updated ?? post.date).iso })
    if (feed.length < FEED_ITEMS) {
      const content = rewriteLinks(md.html, {
        page: outputPathOf(post.urlPath),
        index,
        content: { start: 0, end: md.html.length, sourceFile: post.file },
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

    const text = (path: string, content: string) => add({ path, content: encoder.encode(content) })
    for (const [path, content] of Object.entries(renderFeeds(config, feed))) text(path, content)
    text('sitemap.xml', renderSitemap(config.baseUrl, sitemap))
    text('robots.txt', renderRobots(config.baseUrl))
    text('_redirects', renderRedirects(routes.aliases))

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
