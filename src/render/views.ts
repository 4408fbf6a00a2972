/**
 * What templates see. Every internal URL here is site-absolute and percent-encoded
 * (`/tags/c%23/`); the link pass makes it relative to the page. Absolute URLs (canonical,
 * OpenGraph) are built from the base URL.
 */
import type { PostAuthor } from './authors.ts'
import type { PostDate } from './dates.ts'
import { FEED_FILES } from './routes.ts'
import { absoluteUrl, encodePath } from './paths.ts'
import type { Post } from './posts.ts'
import type { Tag } from './tags.ts'
import type { Heading, NavLink, ResolvedSiteConfig } from './types.ts'

export interface SiteView {
  title: string
  description: string
  language: string
  baseUrl: string
  nav: NavLink[]
  social: ResolvedSiteConfig['social']
  favicon: string | undefined
  feeds: { rss: string; atom: string; json: string }
}

/** The `<head>` of a page: title, description, canonical, OpenGraph and Twitter meta. */
export interface PageMeta {
  title: string
  description: string
  /** Site path of the page. */
  url: string
  canonical: string
  type: 'website' | 'article'
  image: string | undefined
  lang: string
  /** Translations of the page, including itself: `<link rel="alternate" hreflang>`. */
  alternates: { lang: string; href: string }[]
  published: string | undefined
  modified: string | undefined
  tags: string[]
  noindex: boolean
}

export interface DateView {
  iso: string
  display: string
}

export interface TagView {
  name: string
  slug: string
  url: string
}

export interface PostCard {
  title: string
  url: string
  date: DateView
  authors: PostAuthor[]
  tags: TagView[]
  summary: string
  readingMinutes: number
  headerImage: string | undefined
  lang: string
}

export interface PostView extends PostCard {
  /** For meta tags: the front matter description, else the summary. */
  description: string
  /** The front matter description, shown under the title (a summary taken from the body is not repeated). */
  lead: string | undefined
  updated: DateView | undefined
  content: string
  headings: Heading[]
  translations: { lang: string; title: string; url: string }[]
}

/** Site path → encoded site-absolute URL for templates. */
export const siteUrl = (urlPath: string): string => encodePath(urlPath)

export function siteView(config: ResolvedSiteConfig): SiteView {
  return {
    title: config.title,
    description: config.description,
    language: config.language,
    baseUrl: config.baseUrl,
    nav: config.nav,
    social: config.social,
    favicon: config.favicon === undefined ? undefined : siteUrl(config.favicon),
    feeds: { rss: `/${FEED_FILES.rss}`, atom: `/${FEED_FILES.atom}`, json: `/${FEED_FILES.json}` },
  }
}

export function tagView(tag: Tag): TagView {
  return { name: tag.name, slug: tag.slug, url: siteUrl(`/tags/${tag.slug}/`) }
}

export function dateView(date: PostDate, format: (day: string) => string): DateView {
  return { iso: date.iso, display: format(date.day) }
}

/** A header image as templates link it: site path, or the external URL as written. */
export function imageUrl(path: string | undefined): string | undefined {
  if (path === undefined) return undefined
  return /^https?:/i.test(path) ? path : siteUrl(`/${path}`)
}

export function absoluteImage(baseUrl: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined
  return /^https?:/i.test(path) ? path : absoluteUrl(baseUrl, `/${path}`)
}

export function postCard(post: Post, summary: string, minutes: number, format: (day: string) => string): PostCard {
  return {
    title: post.title,
    url: siteUrl(post.urlPath),
    date: dateView(post.date, format),
    authors: post.authors,
    tags: post.tags.map(tagView),
    summary,
    readingMinutes: minutes,
    headerImage: imageUrl(post.headerImage),
    lang: post.lang,
  }
}

export function listMeta(config: ResolvedSiteConfig, urlPath: string, title: string, description: string): PageMeta {
  return {
    title,
    description,
    url: siteUrl(urlPath),
    canonical: absoluteUrl(config.baseUrl, urlPath),
    type: 'website',
    image: absoluteImage(config.baseUrl, config.image?.slice(1)),
    lang: config.language,
    alternates: [],
    published: undefined,
    modified: undefined,
    tags: [],
    noindex: false,
  }
}
