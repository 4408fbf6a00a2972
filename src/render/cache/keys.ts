/**
 * Cache keys: a SHA-256 over everything an entry's bytes are a function of. Parts are
 * length-prefixed, so no two different lists of parts hash alike.
 */
import { hash } from 'node:crypto'
import type { MarkdownJob } from '../markdown/pool-protocol.ts'
import type { MarkdownOptions, ResolvedSiteConfig, TextSource } from '../types.ts'

export function digest(...parts: string[]): string {
  let text = ''
  for (const part of parts) text += `${part.length}:${part}`
  return hash('sha256', text, 'base64url')
}

/**
 * A post's Markdown is a function of its body and the renderer's options; its file and
 * line offset name it in diagnostics. Hugo refs, its only other input, are checked apart.
 */
export function markdownKey(fingerprint: string, options: MarkdownOptions, job: MarkdownJob): string {
  return digest(fingerprint, 'markdown', JSON.stringify(options), job.file, String(job.lineOffset), job.body)
}

/**
 * What every page depends on: the site config (templates see it as `site`, links resolve
 * against its base URL) and every template (pages include partials by name).
 */
export function siteKey(fingerprint: string, config: ResolvedSiteConfig, templates: readonly TextSource[]): string {
  return digest(fingerprint, 'page', JSON.stringify(config), ...templates.flatMap((t) => [t.file, t.text]))
}

/**
 * A page is a function of the site, its template, its path (links are made relative to
 * it) and the data the template gets; `extra` stands for data left out of `data` (a post's
 * HTML, by its Markdown key).
 */
export function pageKey(site: string, template: string, path: string, data: object, extra: string): string {
  return digest(site, template, path, JSON.stringify(data), extra)
}
