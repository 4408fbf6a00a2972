/**
 * `renderSite`: a pure function from a `SiteSource` to the files of the site. It reads no
 * file, clock or environment; the same source gives the same bytes. Every problem found
 * anywhere is collected and thrown at the end in one `RenderError`.
 */
import { FEED_ITEMS } from '../constants.ts'
import { type Diagnostic, RenderError } from '../errors.ts'
import type { BuildProgressEvents, ProgressOptions } from '../events.ts'
import { indexAuthors } from './authors.ts'
import { createDayFormatter } from './dates.ts'
import { renderFeeds, type FeedEntry } from './feeds.ts'
import { compareStrings } from './files.ts'
import type { LinkIndex } from './link-resolve.ts'
import { LinkReport } from './link-report.ts'
import { rewriteLinks } from './links.ts'
import { createMarkdownRenderer } from './markdown/index.ts'
import { type PageContext, postMeta, renderList, renderNotFound, renderPage, renderRedirect, renderTagsIndex } from './pages.ts'
import { outputPathOf } from './paths.ts'
import { type Post, readPost } from './posts.ts'
import { planRoutes } from './routes.ts'
import { renderRedirects, renderRobots, renderSitemap, type SitemapEntry } from './sitemap.ts'
import { firstParagraph, readingMinutes } from './summary.ts'
import { TagRegistry } from './tags.ts'
import { compileTemplates } from './templates.ts'
import type { OutputFile, SiteSource } from './types.ts'
import { dateView, type PostCard, type PostView, postCard, siteUrl, siteView, tagView } from './views.ts'

export interface RenderedSite {
  /** Sorted by path; byte-identical for the same source. */
  files: OutputFile[]
  posts: number
  /** HTML files in the output. */
  pages: number
  warnings: Diagnostic[]
}

const byNewest = (a: Post, b: Post): number => b.date.time - a.date.time || compareStrings(a.slug, b.slug) || compareStrings(a.file, b.file)

export function renderSite(source: SiteSource, options: ProgressOptions<BuildProgressEvents> = {}): RenderedSite {
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
  const plan = planRoutes(posts, source.files, config.postsPerPage, errors)

  const bySource = new Map<string, string>()
  const byName = new Map<string, string>()
  for (const post of posts) {
    bySource.set(post.file, post.urlPath)
    const name = post.file.replace(/^posts\//, '')
    byName.set(name, post.urlPath)
    byName.set(name.replace(/\.(md|markdown)$/i, ''), post.urlPath)
    if (!byName.has(post.slug)) byName.set(post.slug, post.urlPath)
  }
  const index: LinkIndex = { files: plan.files, sources: bySource, baseUrl: config.baseUrl }
  const resolveRef = (ref: string): string | undefined => {
    const clean = ref.replace(/^\.?\//, '').replace(/[?#].*$/, '')
    return bySource.get(clean) ?? byName.get(clean) ?? byName.get(clean.replace(/\.(md|markdown)$/i, ''))
  }

  const files: OutputFile[] = source.files.map((f) => ({ path: f.path, content: f.ref }))
  const encoder = new TextEncoder()
  const total = posts.length + plan.aliases.length + plan.home.length + plan.tags.reduce((n, t) => n + t.pages.length, 0) + 3
  let done = 0
  const ctx: PageContext = {
    config,
    site: siteView(config),
    templates,
    index,
    report: new LinkReport(errors),
    emit(path, html) {
      files.push({ path, content: encoder.encode(html) })
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
  const markdown = createMarkdownRenderer(config.markdown)
  const cards = new Map<Post, PostCard>()
  const feed: FeedEntry[] = []
  const sitemap: SitemapEntry[] = []
  for (const post of posts) {
    const md = markdown.render(post.body, { file: post.file, lineOffset: post.lineOffset, resolveRef })
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

  for (const page of plan.home) {
    renderList(ctx, page, cards)
    sitemap.push({ urlPath: page.urlPath, lastmod: page.items[0]?.date.iso })
  }
  for (const { tag, pages } of plan.tags) {
    for (const page of pages) {
      renderList(ctx, page, cards, tagView(tag))
      sitemap.push({ urlPath: page.urlPath, lastmod: page.items[0]?.date.iso })
    }
  }
  renderTagsIndex(ctx, plan.tags.map(({ tag, pages }) => ({ ...tagView(tag), count: pages.reduce((n, p) => n + p.items.length, 0) })))
  sitemap.push({ urlPath: '/tags/', lastmod: undefined })
  renderNotFound(ctx)
  for (const alias of plan.aliases) renderRedirect(ctx, alias)

  const text = (path: string, content: string) => files.push({ path, content: encoder.encode(content) })
  for (const [path, content] of Object.entries(renderFeeds(config, feed))) text(path, content)
  text('sitemap.xml', renderSitemap(config.baseUrl, sitemap))
  text('robots.txt', renderRobots(config.baseUrl))
  text('_redirects', renderRedirects(plan.aliases))

  if (errors.length > 0) throw new RenderError(sortDiagnostics(errors))
  files.sort((a, b) => compareStrings(a.path, b.path))
  const pages = files.filter((f) => f.path.endsWith('.html')).length
  return { files, posts: posts.length, pages, warnings: sortDiagnostics(warnings) }
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => compareStrings(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.message, b.message))
}
