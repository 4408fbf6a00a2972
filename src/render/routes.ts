/**
 * Decides every output path before anything is rendered, so links can be checked against
 * the whole site and two things claiming one path are caught: two posts, a post and an
 * alias, a post and a generated page or a static file.
 */
import type { Diagnostic } from '../errors.ts'
import { outputPathOf, urlPathOf } from './paths.ts'
import type { Post } from './posts.ts'
import type { Tag } from './tags.ts'
import type { StaticFile } from './types.ts'

/** Files every site gets, besides pages. */
export const FEED_FILES = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } as const
export const SITE_FILES = ['sitemap.xml', 'robots.txt', '404.html', 'ipfs-404.html', '_redirects'] as const

export interface ListPage<T> {
  urlPath: string
  outputPath: string
  /** 1-based. */
  number: number
  total: number
  items: T[]
  prev: string | undefined
  next: string | undefined
}

export interface AliasRoute {
  urlPath: string
  outputPath: string
  post: Post
  line: number
}

/** Who claimed an output path: a source file and line, or a label for generated pages. */
interface Owner {
  file: string
  line?: number
  label?: string
}

export interface RoutePlan {
  /** Every output path of the site. */
  files: Set<string>
  home: ListPage<Post>[]
  tags: { tag: Tag; pages: ListPage<Post>[] }[]
  aliases: AliasRoute[]
}

/** `/` → `/`, `/page/2/`, ...; `/tags/ipfs/` → `/tags/ipfs/`, `/tags/ipfs/page/2/`, ... */
export function paginate<T>(items: readonly T[], perPage: number, first: string): ListPage<T>[] {
  const total = Math.max(1, Math.ceil(items.length / perPage))
  const url = (n: number) => (n === 1 ? first : `${first}page/${n}/`)
  const pages: ListPage<T>[] = []
  for (let n = 1; n <= total; n++) {
    pages.push({
      urlPath: url(n),
      outputPath: outputPathOf(url(n)),
      number: n,
      total,
      items: items.slice((n - 1) * perPage, n * perPage),
      prev: n > 1 ? url(n - 1) : undefined,
      next: n < total ? url(n + 1) : undefined,
    })
  }
  return pages
}

/**
 * Plans the site. `posts` are sorted newest first; they are claimed in source file order so
 * "also produced by" always names the same file.
 */
export function planRoutes(
  posts: readonly Post[],
  files: readonly StaticFile[],
  perPage: number,
  errors: Diagnostic[],
): RoutePlan {
  const owners = new Map<string, Owner>()
  const claim = (path: string, owner: Owner, what: string): boolean => {
    const earlier = owners.get(path)
    if (earlier === undefined) {
      owners.set(path, owner)
      return true
    }
    const by = earlier.label ?? (earlier.line === undefined ? earlier.file : `${earlier.file}:${earlier.line}`)
    errors.push({ file: owner.file, line: owner.line, message: `duplicate ${what} '${urlPathOf(path)}': also produced by ${by}` })
    return false
  }

  for (const f of files) claim(f.path, { file: f.path, label: `the static file ${f.path}` }, 'file')
  for (const f of [...Object.values(FEED_FILES), ...SITE_FILES]) claim(f, { file: f, label: `the generated ${f}` }, 'file')
  const home = paginate(posts, perPage, '/')
  for (const p of home) claim(p.outputPath, { file: p.outputPath, label: 'the post list' }, 'page')

  const byTag = new Map<string, { tag: Tag; posts: Post[] }>()
  for (const post of posts) {
    for (const tag of post.tags) {
      let entry = byTag.get(tag.slug)
      if (entry === undefined) {
        entry = { tag, posts: [] }
        byTag.set(tag.slug, entry)
      }
      entry.posts.push(post)
    }
  }
  const tags = [...byTag.values()]
    .sort((a, b) => (a.tag.slug < b.tag.slug ? -1 : a.tag.slug > b.tag.slug ? 1 : 0))
    .map(({ tag, posts: tagged }) => ({ tag, pages: paginate(tagged, perPage, `/tags/${tag.slug}/`) }))
  claim('tags/index.html', { file: 'tags/index.html', label: 'the tags index' }, 'page')
  for (const t of tags) for (const p of t.pages) claim(p.outputPath, { file: p.outputPath, label: `the page of tag '${t.tag.name}'` }, 'page')

  const bySource = [...posts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const post of bySource) {
    claim(outputPathOf(post.urlPath), { file: post.file, line: post.urlLine }, 'permalink')
  }
  const aliases: AliasRoute[] = []
  for (const post of bySource) {
    for (const alias of post.aliases) {
      if (alias.urlPath === post.urlPath) continue
      const outputPath = outputPathOf(alias.urlPath)
      if (claim(outputPath, { file: post.file, line: alias.line }, 'permalink')) {
        aliases.push({ urlPath: alias.urlPath, outputPath, post, line: alias.line })
      }
    }
  }
  aliases.sort((a, b) => (a.urlPath < b.urlPath ? -1 : a.urlPath > b.urlPath ? 1 : 0))
  return { files: new Set(owners.keys()), home, tags, aliases }
}
