/**
 * The render cache during one build: what the last build kept, what this build takes from
 * it, and what this build renders (appended to new segments). An entry is used only when
 * its key matches and every outside answer it depended on (a Hugo ref, a link's target)
 * is still the same; one that cannot be read back whole is rendered again. Nothing here
 * ever fails the build.
 */
import type { MarkdownJob } from '../markdown/pool-protocol.ts'
import type { Heading, MarkdownOptions, MarkdownResult } from '../types.ts'
import { type CachedMarkdown, type CachedPage, type Entry, newOutputs, type Output, type Outputs } from './entries.ts'
import type { LinkRecord } from './format.ts'
import { markdownKey } from './keys.ts'
import type { Previous } from './open.ts'
import { type RenderCacheSummary, saveCache } from './save.ts'

const decoder = new TextDecoder()

export class RenderCache {
  readonly dir: string
  readonly fingerprint: string
  readonly #previous: Previous
  readonly #usedMarkdown = new Map<string, CachedMarkdown>()
  readonly #usedPages = new Map<string, CachedPage>()
  readonly #outputs: Outputs
  #corrupt = 0
  #closed = false
  #complete = false

  /** Made by `openRenderCache`. */
  constructor(dir: string, fingerprint: string, previous: Previous) {
    this.dir = dir
    this.fingerprint = fingerprint
    this.#previous = previous
    this.#outputs = newOutputs(dir)
  }

  /** Why the cache on disk was set aside whole, if it was. */
  get ignored(): string | undefined {
    return this.#previous.ignored
  }

  /** Entries the last build left (and this one can read). */
  get size(): number {
    return this.#previous.markdown.size + this.#previous.pages.size
  }

  get markdownEntries(): number {
    return this.#previous.markdown.size
  }

  /** Every post and page of the site went through the cache: a build that then fails on the site's errors may still save it. */
  get complete(): boolean {
    return this.#complete
  }

  markComplete(): void {
    this.#complete = true
  }

  markdownKey(options: MarkdownOptions, job: MarkdownJob): string {
    return markdownKey(this.fingerprint, options, job)
  }

  /** The post's cached Markdown when there is one and each ref it looked up resolves as it did. */
  getMarkdown(key: string, resolveRef: (ref: string) => string | undefined): CachedMarkdown | undefined {
    const entry = this.#previous.markdown.get(key)
    if (entry === undefined || !entry.refs.every(([target, url]) => (resolveRef(target) ?? null) === url)) return undefined
    this.#use(this.#usedMarkdown, key, entry)
    return entry
  }

  /**
   * The HTML and headings of a cached post. Undefined when they cannot be read back whole:
   * the entry is then dropped, and the post must be rendered (and put) again.
   */
  readMarkdown(key: string, entry: CachedMarkdown): { html: string; headings: Heading[] } | undefined {
    const bytes = entry.segment.reader?.read(entry.blob)
    if (bytes !== undefined) {
      const text = decoder.decode(bytes)
      const split = text.indexOf('\n')
      try {
        return { headings: JSON.parse(text.slice(0, split)) as Heading[], html: text.slice(split + 1) }
      } catch {
        // A checksum that matches bytes that do not parse: treated as any other bad entry.
      }
    }
    this.#corrupt++
    if (this.#usedMarkdown.get(key) === entry) {
      this.#usedMarkdown.delete(key)
      entry.segment.live -= entry.blob.length
    }
    return undefined
  }

  /** Keeps a post's Markdown; `firstParagraph` may be set on the entry returned until the cache is saved. */
  putMarkdown(key: string, result: MarkdownResult, readingMinutes: number): CachedMarkdown | undefined {
    const entry = this.#append(this.#outputs.markdown, `${JSON.stringify(result.headings)}\n`, result.html)
    if (entry === undefined) return undefined
    const { errors, warnings, refs } = result
    const kept: CachedMarkdown = { ...entry, firstParagraph: null, readingMinutes, errors, warnings, refs }
    this.#usedMarkdown.set(key, kept)
    return kept
  }

  /**
   * The page's bytes when they are cached and each link in them still resolves to the same
   * file; `resolves` answers that for one link (each is asked once per build).
   */
  getPage(key: string, resolves: (link: LinkRecord) => boolean): Uint8Array | undefined {
    const entry = this.#previous.pages.get(key)
    if (entry === undefined || !this.#previous.links.allResolve(entry.links, resolves)) return undefined
    const bytes = entry.segment.reader?.read(entry.blob)
    if (bytes === undefined) {
      this.#corrupt++
      return undefined
    }
    this.#use(this.#usedPages, key, entry)
    return bytes
  }

  /**
   * The id of a link this build resolved, for `putPage`: `dirs` are the folders a relative
   * link was resolved against, NUL-separated ('' for a site-absolute link or a URL).
   */
  linkId(dirs: string, value: string, target: string, suffix: string): number {
    return this.#previous.links.id(dirs, value, target, suffix)
  }

  /** Keeps a page this build rendered, with the ids of the links it resolved (as `getPage` will check them). */
  putPage(key: string, bytes: Uint8Array, links: readonly number[]): void {
    const entry = this.#append(this.#outputs.pages, bytes)
    if (entry !== undefined) this.#usedPages.set(key, { ...entry, links: [...new Set(links)] })
  }

  /** Saves what this build used and rendered as the cache, sweeping everything else. Never throws. */
  async save(): Promise<RenderCacheSummary> {
    this.#closed = true
    try {
      const { segments, links, markdown, pages, ignored, setAside } = this.#previous
      return await saveCache({
        dir: this.dir,
        fingerprint: this.fingerprint,
        ignored,
        setAside,
        segments,
        links: links.records,
        previous: { markdown, pages },
        used: { markdown: this.#usedMarkdown, pages: this.#usedPages },
        outputs: this.#outputs,
        corrupt: this.#corrupt,
      })
    } finally {
      await this.#close()
    }
  }

  /** Forgets this build's work (it failed or was stopped): the cache on disk stays as it was. */
  async discard(): Promise<void> {
    this.#closed = true
    await this.#close()
  }

  async #close(): Promise<void> {
    // After a save, the files are renamed already and this does nothing.
    for (const { writer } of [this.#outputs.markdown, this.#outputs.pages]) {
      await writer.discard().catch(() => {
        // A temporary file that cannot be removed is swept by a later build.
      })
    }
    for (const segment of this.#previous.segments) {
      segment.reader?.close()
      segment.reader = undefined
    }
  }

  #use<E extends Entry>(used: Map<string, E>, key: string, entry: E): void {
    if (used.has(key)) return
    used.set(key, entry)
    entry.segment.live += entry.blob.length
  }

  /** Appends to a segment of this build; writes happen in the background, a failed one is reported by `save`. */
  #append(output: Output, ...parts: (Uint8Array | string)[]): Entry | undefined {
    if (this.#closed) return undefined
    const blob = output.writer.append(...parts)
    output.segment.size = output.writer.size
    output.segment.live = output.writer.size
    return { segment: output.segment, blob }
  }
}
