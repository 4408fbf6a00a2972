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
}

export interface MarkdownRenderer {
  render(source: string, env: MarkdownEnv): MarkdownResult
}
