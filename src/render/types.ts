/**
 * The contracts between the parts of the renderer, and between the renderer and the
 * packer. Rendering is pure: content in, a list of output files out.
 */
import type { Diagnostic } from '../errors.ts'

/** A file on disk that is copied into the output as it is (assets), read only when needed. */
export interface FileRef {
  /** Absolute path on disk. */
  file: string
  size: number
}

/** One file of the rendered site. */
export interface OutputFile {
  /** POSIX path relative to the site root, no leading slash: `posts/hello/index.html`. */
  path: string
  /** The bytes of a rendered file, or a reference to a file copied as it is. */
  content: Uint8Array | FileRef
}

export interface MarkdownOptions {
  /** Single newlines in a paragraph become `<br>` (blogs written that way). @default false */
  breaks?: boolean
  /** Repair mis-encoded text (UTF-8 read as Windows-1252 or Mac Roman) in the output. @default false */
  repairEncoding?: boolean
}

/** Per-document context for one markdown render. */
export interface MarkdownEnv {
  /** The source file, relative to the site folder, for diagnostics: `posts/hello.md`. */
  file: string
  /** Lines in the file before the markdown body (front matter), so diagnostics give file lines. */
  lineOffset: number
  /**
   * Resolves a Hugo `relref`/`ref` target ("posts/other.md", "other") to the site-absolute
   * URL path of that page (`/posts/other/`), or undefined when no page matches.
   */
  resolveRef: (ref: string) => string | undefined
}

export interface Heading {
  level: number
  text: string
  id: string
}

export interface MarkdownResult {
  html: string
  /** Headings in document order, with their anchor ids. */
  headings: Heading[]
  /** Plain text of the body (no markup), for summaries and reading time. */
  text: string
  /** Problems that fail the build: unknown shortcode, malformed embed, ... */
  errors: Diagnostic[]
  /** Problems reported but not fatal: mis-encoded text, ... */
  warnings: Diagnostic[]
  /**
   * Each Hugo ref target this post looked up, with what it resolved to: the only input of
   * the Markdown stage from outside the post, so a cached result holds only while they
   * resolve the same.
   */
  refs: RefUse[]
}

/** A ref target and the URL path it resolved to (null: no page matched). */
export type RefUse = [target: string, url: string | null]

export interface MarkdownRenderer {
  render(source: string, env: MarkdownEnv): MarkdownResult
}

/** A text file of the site, read by `loadSite`: a post or a template. */
export interface TextSource {
  /** POSIX path relative to the site folder: `posts/hello.md`, `templates/post.eta`. */
  file: string
  text: string
}

/** A file copied into the output as it is (assets, images next to posts). */
export interface StaticFile {
  /** POSIX path in the output: `assets/css/style.css`; a file of `static/` lands at the root. */
  path: string
  ref: FileRef
}

/**
 * Everything `renderSite` needs, gathered by `loadSite`: rendering is a pure function of it.
 * Posts and templates are held as text; static files only as references.
 */
export interface SiteSource {
  /** The site folder, absolute (for messages; rendering never reads from it). */
  dir: string
  /** The config file, relative to the site folder, or undefined when the site has none. */
  configFile: string | undefined
  config: ResolvedSiteConfig
  /** Markdown posts, sorted by file. */
  posts: TextSource[]
  /** Eta templates (the site's own, else the built-in theme's), sorted by file. */
  templates: TextSource[]
  /** Static files, sorted by path. */
  files: StaticFile[]
  /**
   * The text of the static files that are stylesheets (`file` is the output path), sorted:
   * the 404 pages carry them inline, since gateways serve those pages at any depth.
   */
  stylesheets: TextSource[]
}

export interface AuthorConfig {
  name: string
  /** A page about the author; their name links to it. */
  url?: string
  bio?: string
}

export interface NavLink {
  text: string
  /** Site-absolute (`/tags/`) or an absolute URL. */
  url: string
}

/** What `site/site.config.ts` exports (through `defineSite`) or `site.config.json` holds. */
export interface SiteConfig {
  title: string
  description?: string
  /** Where the site is published, absolute: feeds, sitemap and canonical URLs start with it. */
  baseUrl: string
  /** BCP 47 language tag of the site. @default 'en' */
  language?: string
  /** Authors by id; a post's `author` that matches an id or a name links to the author. */
  authors?: Record<string, AuthorConfig>
  /** Posts per page on the home and tag pages. @default 10 */
  postsPerPage?: number
  markdown?: MarkdownOptions
  /** Where posts go; `:slug`, `:year`, `:month`, `:day` are replaced. @default '/posts/:slug/' */
  permalink?: string
  nav?: NavLink[]
  social?: {
    /** `@handle` for `twitter:site`. */
    twitter?: string
    github?: string
    mastodon?: string
  }
  /** Site path of the favicon, e.g. `/assets/images/favicon.svg`. */
  favicon?: string
  /** Site path of the image shared when a page has none of its own (OpenGraph). */
  image?: string
}

/** The site config with defaults applied. */
export interface ResolvedSiteConfig {
  title: string
  description: string
  /** Always ends with a slash. */
  baseUrl: string
  language: string
  authors: Record<string, AuthorConfig>
  postsPerPage: number
  markdown: Required<MarkdownOptions>
  permalink: string
  nav: NavLink[]
  social: { twitter?: string; github?: string; mastodon?: string }
  favicon: string | undefined
  image: string | undefined
}
