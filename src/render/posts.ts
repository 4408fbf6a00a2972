/**
 * Turns a post's text into a `Post`: front matter read and checked, every problem reported
 * with the file and the line of the key at fault.
 */
import type { Diagnostic } from '../errors.ts'
import { type AuthorIndex, type PostAuthor, resolveAuthors, splitAuthors } from './authors.ts'
import { dateFromFileName, type PostDate, parseDate } from './dates.ts'
import { parseFrontMatter } from './frontmatter.ts'
import { findImage } from './images.ts'
import { normalizePermalink } from './paths.ts'
import { applyPattern, expandPermalink, fileSlug } from './permalinks.ts'
import { type Tag, type TagRegistry, tagNames } from './tags.ts'
import type { ResolvedSiteConfig, TextSource } from './types.ts'

export interface Post {
  /** Source file relative to the site folder. */
  file: string
  /** The whole source with LF line endings, to find the line of a link in it. */
  source: string
  body: string
  lineOffset: number
  title: string
  /** `description`, `snippet` or `summary` from front matter. */
  description: string | undefined
  date: PostDate
  updated: PostDate | undefined
  authors: PostAuthor[]
  tags: Tag[]
  slug: string
  /** Site-absolute, decoded: `/posts/hello/`. */
  urlPath: string
  /** 1-based line of what decided the URL (the `permalink` key, else 1). */
  urlLine: number
  /** Output path of the header image, or an absolute URL. */
  headerImage: string | undefined
  aliases: { urlPath: string; line: number }[]
  canonicalUrl: string | undefined
  translationKey: string | undefined
  lang: string
}

export interface PostContext {
  config: ResolvedSiteConfig
  authors: AuthorIndex
  tags: TagRegistry
  /** Output paths of static files, for header images. */
  files: ReadonlySet<string>
  errors: Diagnostic[]
  warnings: Diagnostic[]
}

/** Reads one post; undefined when it is a draft or could not be read (errors then say why). */
export function readPost(src: TextSource, ctx: PostContext): Post | undefined {
  const { file } = src
  const text = src.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const errorCount = ctx.errors.length
  const fm = parseFrontMatter(text, file, ctx.errors)
  if (fm === undefined) return undefined
  const { data } = fm
  const line = (key: string): number => fm.lines.get(key) ?? 1
  const error = (key: string, message: string) => ctx.errors.push({ file, line: line(key), message: `front matter: ${message}` })
  const optionalString = (key: string): string | undefined => {
    const v = data[key]
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string' || typeof v === 'number') return String(v)
    error(key, `\`${key}\` must be a string, got ${Array.isArray(v) ? 'a list' : typeof v}`)
    return undefined
  }

  if (data.draft === true || data.draft === 'true' || data.permalink === false) return undefined

  const slug = optionalString('slug') ?? fileSlug(file)
  let title = optionalString('title')
  if (title === undefined || title.trim() === '') {
    title = slug
    ctx.warnings.push({ file, line: fm.lines.get('title') ?? 1, message: `front matter: no \`title\`, using '${slug}'` })
  }

  let date: PostDate | undefined
  const dateKey = data.date !== undefined ? 'date' : data.pubDate !== undefined ? 'pubDate' : undefined
  const rawDate = dateKey === undefined ? dateFromFileName(file) : data[dateKey]
  if (rawDate === undefined) {
    ctx.errors.push({ file, line: 1, message: 'front matter: `date` is missing: add `date: YYYY-MM-DD`' })
  } else {
    const parsed = parseDate(rawDate)
    if (!parsed.ok) {
      error(dateKey ?? 'date', `\`${dateKey ?? 'date'}\` must be YYYY-MM-DD, got '${String(rawDate)}'`)
    } else {
      date = parsed.date
      if (!parsed.padded) {
        ctx.warnings.push({
          file,
          line: line(dateKey ?? 'date'),
          message: `front matter: \`date\` '${String(rawDate)}' is not zero-padded: write ${parsed.date.day}`,
        })
      }
    }
  }
  let updated: PostDate | undefined
  for (const key of ['updated', 'lastmod', 'last_modified_at']) {
    if (data[key] === undefined) continue
    const parsed = parseDate(data[key])
    if (parsed.ok) updated = parsed.date
    else error(key, `\`${key}\` must be YYYY-MM-DD, got '${String(data[key])}'`)
  }

  const names = tagNames(data.tags)
  const tags: Tag[] = []
  if (names === undefined) error('tags', '`tags` must be a list or a comma-separated string')
  for (const name of names ?? []) {
    const tag = ctx.tags.tag(name)
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag)
  }

  let lang = ctx.config.language
  const langValue = optionalString('lang') ?? optionalString('language')
  if (langValue !== undefined) {
    try {
      lang = Intl.getCanonicalLocales(langValue)[0] ?? lang
    } catch {
      error(data.lang !== undefined ? 'lang' : 'language', `\`lang\` must be a BCP 47 language tag, got '${langValue}'`)
    }
  }

  let headerImage: string | undefined
  const imageKey = ['header_image', 'image', 'cover'].find((k) => typeof data[k] === 'string' && data[k] !== '')
  if (imageKey !== undefined) {
    const value = data[imageKey] as string
    const found = findImage(value, file, ctx.files)
    if (found.ok) headerImage = found.path
    else error(imageKey, `\`${imageKey}\` '${value}' not found (looked for ${found.tried.join(', ')})`)
  }

  const permalinkKey = typeof data.permalink === 'string' ? 'permalink' : typeof data.url === 'string' ? 'url' : undefined
  let urlPath: string | undefined
  if (date !== undefined) {
    const pctx = { slug, fileSlug: fileSlug(file), title, date }
    try {
      urlPath =
        permalinkKey === undefined
          ? applyPattern(ctx.config.permalink, pctx)
          : expandPermalink(data[permalinkKey] as string, pctx)
    } catch (err) {
      error(permalinkKey ?? 'permalink', `\`${permalinkKey}\`: ${(err as Error).message}`)
    }
  }

  const aliases: Post['aliases'] = []
  for (const key of ['aliases', 'redirect_from']) {
    const v = data[key]
    if (v === undefined || v === null) continue
    const list = Array.isArray(v) ? v : [v]
    for (const alias of list) {
      if (typeof alias === 'string' && alias.trim() !== '') aliases.push({ urlPath: normalizePermalink(alias), line: line(key) })
      else error(key, `\`${key}\` must be a list of paths such as /old/path/`)
    }
  }

  if (date === undefined || urlPath === undefined || ctx.errors.length > errorCount) return undefined
  return {
    file,
    source: text,
    body: fm.body,
    lineOffset: fm.lineOffset,
    title,
    description: optionalString('description') ?? optionalString('snippet') ?? optionalString('summary'),
    date,
    updated,
    authors: resolveAuthors(splitAuthors(data.author ?? data.authors), ctx.authors),
    tags,
    slug,
    urlPath,
    urlLine: permalinkKey === undefined ? 1 : line(permalinkKey),
    headerImage,
    aliases,
    canonicalUrl: optionalString('canonicalUrl') ?? optionalString('canonicalURL') ?? optionalString('canonical_url'),
    translationKey: optionalString('translationKey'),
    lang,
  }
}
