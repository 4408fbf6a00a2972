/**
 * Turns broken links found by the link pass into diagnostics. A link written in a post is
 * reported at its line in the post's source; one from a template at the page's line, once
 * for all the pages that share it (a broken nav link would otherwise fill the screen).
 */
import type { Diagnostic } from '../errors.ts'
import { type BrokenLink, lineAt } from './links.ts'

export interface LinkSource {
  file: string
  source: string
  /** Where the body starts in `source`, so front matter values are not mistaken for links. */
  bodyStart: number
}

export class LinkReport {
  readonly #errors: Diagnostic[]
  readonly #shared = new Map<string, { diagnostic: Diagnostic; base: string; more: number }>()

  constructor(errors: Diagnostic[]) {
    this.#errors = errors
  }

  add(broken: readonly BrokenLink[], html: string, page: string, post?: LinkSource): void {
    for (const b of broken) {
      const what = b.asset ? 'missing asset' : 'broken link'
      const message = `${what} '${b.value}': nothing at /${b.path}`
      if (b.inContent && post !== undefined) {
        const at = findLine(post, b.value)
        if (at !== undefined) {
          this.#errors.push({ file: post.file, line: at, message })
          continue
        }
        this.#errors.push({ file: page, line: lineAt(html, b.offset), message: `${message} (in ${post.file})` })
        continue
      }
      const key = `${what}\0${b.value}`
      const seen = this.#shared.get(key)
      if (seen !== undefined) {
        seen.more++
        seen.diagnostic.message = `${seen.base} (and on ${seen.more} more ${seen.more === 1 ? 'page' : 'pages'})`
        continue
      }
      const diagnostic = { file: page, line: lineAt(html, b.offset), message }
      this.#shared.set(key, { diagnostic, base: message, more: 0 })
      this.#errors.push(diagnostic)
    }
  }
}

/** The line of the first occurrence of a link in the post's body, as written or percent-encoded. */
function findLine(post: LinkSource, value: string): number | undefined {
  for (const needle of [value, encodeURI(value)]) {
    const at = post.source.indexOf(needle, post.bodyStart)
    if (at !== -1) return lineAt(post.source, at)
  }
  return undefined
}
