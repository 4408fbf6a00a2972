/**
 * Where a post goes: its own `permalink` (or Hugo's `url`), else the site's pattern
 * (`/posts/:slug/`). Eleventy permalinks may use `{{ page.fileSlug }}` and
 * `{{ title | slugify }}`; other template expressions are reported, not guessed.
 */
import type { PostDate } from './dates.ts'
import { normalizePermalink } from './paths.ts'
import { slugify } from './slug.ts'

/** The slug from the file name: `posts/2023-03-29-hello.md` and `posts/hello/index.md` give `hello`. */
export function fileSlug(file: string): string {
  const parts = file.split('/')
  let name = parts[parts.length - 1]!.replace(/\.[^.]+$/, '')
  if (name === 'index' && parts.length > 2) name = parts[parts.length - 2]!
  return name.replace(/^\d{4}-\d{2}-\d{2}-/, '')
}

export interface PermalinkContext {
  slug: string
  fileSlug: string
  title: string
  date: PostDate
}

const EXPRESSION = /\{\{\s*([^}]*?)\s*\}\}/g
const SLUG_FILTER = /^(\w+)\s*\|\s*(?:slug|slugify)$/

/** Expands a front matter permalink; throws an Error whose message describes what is wrong. */
export function expandPermalink(value: string, ctx: PermalinkContext): string {
  const expanded = value.replace(EXPRESSION, (_, expr: string) => {
    if (expr === 'page.fileSlug') return ctx.fileSlug
    const filtered = SLUG_FILTER.exec(expr)
    if (filtered?.[1] === 'title') return slugify(ctx.title)
    throw new Error(`the expression {{ ${expr} }} is not supported (only page.fileSlug and title | slugify)`)
  })
  return normalizePermalink(expanded.replace(/\/index\.html$/, '/'))
}

/** Applies the site's pattern (`/posts/:slug/`, `/:year/:month/:slug/`) to a post. */
export function applyPattern(pattern: string, ctx: PermalinkContext): string {
  const [year, month, day] = ctx.date.day.split('-')
  return normalizePermalink(
    pattern
      .replaceAll(':slug', ctx.slug)
      .replaceAll(':year', year!)
      .replaceAll(':month', month!)
      .replaceAll(':day', day!),
  )
}
