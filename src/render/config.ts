/**
 * The site config: `defineSite()` for `site.config.ts`, and validation that names the
 * option at fault, with defaults applied in one place.
 */
import { DEFAULT_POST_PERMALINK, DEFAULT_POSTS_PER_PAGE, DEFAULT_SITE_LANGUAGE } from '../constants.ts'
import {
  arrayOf,
  boolean,
  type Check,
  httpUrl,
  integer,
  nonEmptyString,
  object,
  optional,
  recordOf,
  string,
  ValidationError,
} from '../config/validate.ts'
import type { ResolvedSiteConfig, SiteConfig } from './types.ts'

/** Identity helper that gives `site.config.ts` type checking and editor completion. */
export function defineSite(config: SiteConfig): SiteConfig {
  return config
}

/** A required option reads better as "is required" than as "must be ..., got undefined". */
function required<T>(check: Check<T>, example: string): Check<T> {
  return (v, p) => {
    if (v === undefined) throw new ValidationError(p, `is required, e.g. ${example}`)
    return check(v, p)
  }
}

const languageTag: Check<string> = (v, p) => {
  const tag = nonEmptyString(v, p)
  try {
    const [canonical] = Intl.getCanonicalLocales(tag)
    if (canonical !== undefined) return canonical
  } catch {
    // reported below, with the option's name
  }
  throw new ValidationError(p, `must be a BCP 47 language tag such as 'en' or 'pt-BR', got '${tag}'`)
}

/** A path inside the site, written site-absolute so templates and the link check agree. */
const sitePath: Check<string> = (v, p) => {
  const path = nonEmptyString(v, p)
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new ValidationError(p, `must be a path inside the site starting with '/', got '${path}'`)
  }
  return path
}

const permalinkPattern: Check<string> = (v, p) => {
  const pattern = nonEmptyString(v, p)
  // Without the slug every post would land on the same page.
  if (!pattern.includes(':slug')) throw new ValidationError(p, `must contain :slug, got '${pattern}'`)
  return pattern
}

const twitterHandle: Check<string> = (v, p) => {
  const handle = nonEmptyString(v, p).replace(/^@/, '')
  if (!/^\w{1,15}$/.test(handle)) throw new ValidationError(p, `must be a Twitter handle such as '@ipfs', got '${String(v)}'`)
  return `@${handle}`
}

const checkSiteConfig = object({
  title: required(nonEmptyString, "title: 'My blog'"),
  description: optional(string),
  baseUrl: required(httpUrl, "baseUrl: 'https://blog.example/'"),
  language: optional(languageTag),
  authors: optional(recordOf(object({ name: nonEmptyString, url: optional(httpUrl), bio: optional(string) }))),
  postsPerPage: optional(integer(1, 1000)),
  markdown: optional(object({ breaks: optional(boolean), repairEncoding: optional(boolean) })),
  permalink: optional(permalinkPattern),
  nav: optional(arrayOf(object({ text: nonEmptyString, url: nonEmptyString }))),
  social: optional(
    object({ twitter: optional(twitterHandle), github: optional(nonEmptyString), mastodon: optional(httpUrl) }),
  ),
  favicon: optional(sitePath),
  image: optional(sitePath),
})

/**
 * Validates a raw site config and applies defaults. Throws `ValidationError` whose message
 * names the option; the caller adds the file.
 */
export function normalizeSiteConfig(raw: unknown): ResolvedSiteConfig {
  const config = checkSiteConfig(raw, '')
  const url = new URL(config.baseUrl)
  if (url.search !== '' || url.hash !== '') {
    throw new ValidationError('baseUrl', `must not have a query or fragment, got '${config.baseUrl}'`)
  }
  const permalink = config.permalink ?? DEFAULT_POST_PERMALINK
  return {
    title: config.title,
    description: config.description ?? '',
    baseUrl: url.href.endsWith('/') ? url.href : `${url.href}/`,
    language: config.language ?? DEFAULT_SITE_LANGUAGE,
    authors: config.authors ?? {},
    postsPerPage: config.postsPerPage ?? DEFAULT_POSTS_PER_PAGE,
    markdown: { breaks: config.markdown?.breaks ?? false, repairEncoding: config.markdown?.repairEncoding ?? false },
    permalink: permalink.startsWith('/') ? permalink : `/${permalink}`,
    nav: config.nav ?? [],
    social: config.social ?? {},
    favicon: config.favicon,
    image: config.image,
  }
}
