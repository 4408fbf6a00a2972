/**
 * Renders one page through its template and the link pass. The data each kind of page gets
 * is built here so templates stay declarative. With a render cache, a page whose inputs
 * and links are as they were is taken from it instead.
 */
import type { PageCache } from './cache/index.ts'
import { inlineStylesheets } from './inline-styles.ts'
import { absoluteUrl, relativeUrl } from './paths.ts'
import type { LinkIndex } from './link-resolve.ts'
import type { LinkReport } from './link-report.ts'
import { rewriteLinks } from './links.ts'
import type { PostMarkdown } from './post-markdown.ts'
import type { Post } from './posts.ts'
import type { AliasRoute, ListPage } from './routes.ts'
import type { PageTemplate, Templates } from './templates.ts'
import type { ResolvedSiteConfig } from './types.ts'
import { absoluteImage, listMeta, type PageMeta, type PostCard, type PostView, type SiteView, siteUrl, type TagView } from './views.ts'

export interface PageContext {
  config: ResolvedSiteConfig
  site: SiteView
  templates: Templates
  index: LinkIndex
  report: LinkReport
  /** Output path → CSS text of the site's stylesheets. */
  stylesheets: ReadonlyMap<string, string>
  /** The render cache, for this site. */
  cache?: PageCache | undefined
  /** Receives each finished page. */
  emit: (path: string, content: Uint8Array) => void
}

const encoder = new TextEncoder()

/**
 * Renders `template` to `path`, runs the link pass, reports broken links; or takes the
 * page from the cache, keyed by everything the template gets. The 404 pages are never
 * cached: which stylesheets they carry inline depends on the site's files, not on `data`.
 */
export function renderPage(ctx: PageContext, template: PageTemplate, path: string, data: object, cacheKey?: string): void {
  const key = template === '404' ? undefined : (cacheKey ?? ctx.cache?.key(template, path, data))
  if (key !== undefined && emitCached(ctx, path, key)) return
  renderFresh(ctx, template, path, data, undefined, key)
}

/**
 * A post's page. Its key stands for the post's HTML and headings by the key of its
 * Markdown, so a page found in the cache needs neither rendered nor read.
 */
export function renderPostPage(ctx: PageContext, path: string, post: Post, page: PageMeta, view: Omit<PostView, 'content' | 'headings'>, md: PostMarkdown): void {
  const key = md.key === undefined ? undefined : ctx.cache?.key('post', path, { page, post: view }, `${md.key}\n${post.file}`)
  if (key !== undefined && emitCached(ctx, path, key)) return
  const { html, headings } = md.content()
  const { translations, ...rest } = view
  const full: PostView = { ...rest, content: html, headings, translations }
  renderFresh(ctx, 'post', path, { page, post: full }, { html, post }, key)
}

function emitCached(ctx: PageContext, path: string, key: string): boolean {
  const bytes = ctx.cache?.get(key)
  if (bytes === undefined) return false
  ctx.emit(path, bytes)
  return true
}

function renderFresh(ctx: PageContext, template: PageTemplate, path: string, data: object, content: { html: string; post: Post } | undefined, key: string | undefined): void {
  let html = ctx.templates.render(template, { site: ctx.site, ...data }, path)
  if (html === undefined) return
  // Served for missing paths at any depth, where a relative stylesheet link breaks.
  if (template === '404') html = inlineStylesheets(html, path, ctx.index, ctx.stylesheets)
  let region: { start: number; end: number; sourceFile: string } | undefined
  if (content !== undefined) {
    const start = html.indexOf(content.html)
    if (start !== -1) region = { start, end: start + content.html.length, sourceFile: content.post.file }
  }
  const cache = key === undefined ? undefined : ctx.cache
  const links: number[] = []
  const result = rewriteLinks(html, {
    page: path,
    index: ctx.index,
    ...(region === undefined ? {} : { content: region }),
    ...(cache === undefined ? {} : { onInternal: (value, dirs, r) => links.push(cache.link(value, dirs, r)) }),
  })
  const post = content?.post
  ctx.report.add(
    result.broken,
    html,
    path,
    post === undefined ? undefined : { file: post.file, source: post.source, bodyStart: post.source.length - post.body.length },
  )
  const bytes = encoder.encode(result.html)
  // A page with a broken link fails the build: it is not kept, so the next build reports it again.
  if (key !== undefined && result.broken.length === 0) cache?.put(key, bytes, links)
  ctx.emit(path, bytes)
}

/** The post's published address: its `canonicalUrl` when the front matter sets one, else its own URL. */
function canonicalOf(config: ResolvedSiteConfig, post: Post): string {
  if (post.canonicalUrl === undefined) return absoluteUrl(config.baseUrl, post.urlPath)
  return post.canonicalUrl.startsWith('/') ? absoluteUrl(config.baseUrl, post.canonicalUrl) : post.canonicalUrl
}

export function postMeta(config: ResolvedSiteConfig, post: Post, view: Pick<PostView, 'description' | 'url'>, translations: readonly Post[]): PageMeta {
  const canonical = canonicalOf(config, post)
  return {
    title: post.title,
    description: view.description,
    url: view.url,
    canonical,
    type: 'article',
    image: absoluteImage(config.baseUrl, post.headerImage ?? config.image?.slice(1)),
    lang: post.lang,
    alternates: translations.map((t) => ({ lang: t.lang, href: absoluteUrl(config.baseUrl, t.urlPath) })),
    published: post.date.iso,
    modified: post.updated?.iso,
    tags: post.tags.map((t) => t.name),
    noindex: false,
  }
}

export function renderList(ctx: PageContext, page: ListPage<Post>, cards: ReadonlyMap<Post, PostCard>, tag?: TagView): void {
  const { config } = ctx
  const title = tag === undefined ? config.title : `Posts tagged “${tag.name}”`
  const numbered = page.number === 1 ? title : `${title} (page ${page.number} of ${page.total})`
  const description = tag === undefined ? config.description : `Posts about ${tag.name} on ${config.title}.`
  const template = tag === undefined ? 'home' : 'tag'
  const posts = page.items.map((p) => cards.get(p)!)
  const data = {
    page: listMeta(config, page.urlPath, numbered, description),
    posts,
    pagination: {
      number: page.number,
      total: page.total,
      prev: page.prev === undefined ? undefined : siteUrl(page.prev),
      next: page.next === undefined ? undefined : siteUrl(page.next),
    },
    tag,
  }
  // A post's card is on several list pages: it is serialized for the key once.
  const key = ctx.cache?.key(template, page.outputPath, { ...data, posts: undefined }, posts.map(cardJson).join('\n'))
  renderPage(ctx, template, page.outputPath, data, key)
}

const cardJsons = new WeakMap<PostCard, string>()

function cardJson(card: PostCard): string {
  let json = cardJsons.get(card)
  if (json === undefined) {
    json = JSON.stringify(card)
    cardJsons.set(card, json)
  }
  return json
}

export function renderTagsIndex(ctx: PageContext, tags: readonly (TagView & { count: number })[]): void {
  renderPage(ctx, 'tags', 'tags/index.html', {
    page: listMeta(ctx.config, '/tags/', 'Tags', `Every topic on ${ctx.config.title}.`),
    tags,
  })
}

/** `404.html` and `ipfs-404.html` (what IPFS gateways serve for a missing path) are the same page. */
export function renderNotFound(ctx: PageContext): void {
  const meta = { ...listMeta(ctx.config, '/404.html', 'Page not found', 'There is no page at this address.'), noindex: true }
  for (const path of ['404.html', 'ipfs-404.html']) renderPage(ctx, '404', path, { page: { ...meta, url: siteUrl(`/${path}`) } })
}

/**
 * A page at an old address that sends readers on: path gateways ignore `_redirects`, so
 * the redirect must be the page itself (meta refresh, canonical, and a visible link).
 */
export function renderRedirect(ctx: PageContext, alias: AliasRoute): void {
  const target = alias.post.urlPath
  const meta = { ...listMeta(ctx.config, alias.urlPath, alias.post.title, `This page moved to ${target}.`), noindex: true }
  // The same canonical as the post's own page: an alias must not name a different address.
  meta.canonical = canonicalOf(ctx.config, alias.post)
  renderPage(ctx, 'redirect', alias.outputPath, {
    page: meta,
    target: {
      title: alias.post.title,
      url: siteUrl(target),
      // The meta refresh URL is not an attribute the link pass reads: it is made relative here.
      relative: relativeUrl(alias.outputPath, target.slice(1)),
    },
  })
}
