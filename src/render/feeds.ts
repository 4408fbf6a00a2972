/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1 of the newest posts, with absolute URLs. Nothing
 * depends on when the build runs: "updated" is the newest post's date.
 */
import { Feed } from 'feed'
import { toDate } from './dates.ts'
import { absoluteUrl } from './paths.ts'
import type { Post } from './posts.ts'
import { FEED_FILES } from './routes.ts'
import type { ResolvedSiteConfig } from './types.ts'
import { absoluteImage } from './views.ts'

export interface FeedEntry {
  post: Post
  summary: string
  /** The post's HTML with every internal link absolute. */
  content: string
}

export function renderFeeds(config: ResolvedSiteConfig, entries: readonly FeedEntry[]): Record<string, string> {
  const { baseUrl } = config
  let newest = 0
  for (const { post } of entries) newest = Math.max(newest, (post.updated ?? post.date).time)
  const feed = new Feed({
    id: baseUrl,
    title: config.title,
    description: config.description,
    link: baseUrl,
    language: config.language,
    updated: new Date(newest),
    generator: 'ipfs-publish',
    image: absoluteImage(baseUrl, config.image?.slice(1)),
    favicon: absoluteImage(baseUrl, config.favicon?.slice(1)),
    feedLinks: {
      rss: absoluteUrl(baseUrl, FEED_FILES.rss),
      atom: absoluteUrl(baseUrl, FEED_FILES.atom),
      json: absoluteUrl(baseUrl, FEED_FILES.json),
    },
  })
  for (const { post, summary, content } of entries) {
    const link = absoluteUrl(baseUrl, post.urlPath)
    feed.addItem({
      title: post.title,
      id: link,
      link,
      date: toDate(post.updated ?? post.date),
      published: toDate(post.date),
      description: summary,
      content,
      // feed's JSON writer reads author[0] whenever the field is present.
      ...(post.authors.length === 0
        ? {}
        : { author: post.authors.map((a) => (a.url === undefined ? { name: a.name } : { name: a.name, link: a.url })) }),
      category: post.tags.map((t) => ({ name: t.name, term: t.slug, domain: absoluteUrl(baseUrl, `/tags/${t.slug}/`) })),
      image: absoluteImage(baseUrl, post.headerImage),
    })
  }
  return { [FEED_FILES.rss]: feed.rss2(), [FEED_FILES.atom]: feed.atom1(), [FEED_FILES.json]: feed.json1() }
}
