/**
 * The links of cached pages, each with what it resolved to, in one table shared by every
 * page (most links are the same few template links). A cached page is used only if each
 * of its links still resolves the same way; each link is checked once per build.
 */
import type { LinkRecord } from './format.ts'

export class LinkTable {
  /** The last build's links, then those this build resolved. */
  readonly records: LinkRecord[]
  /** Per record: resolved the same way in this build (true), not (false), or not asked yet. */
  readonly #valid: (boolean | undefined)[] = []
  #ids: Map<string, number> | undefined
  /** Links this build resolved: folders → value → id. */
  readonly #built = new Map<string, Map<string, number>>()

  constructor(records: LinkRecord[]) {
    this.records = records
    for (const [i, link] of records.entries()) if (!isLinkRecord(link)) this.#valid[i] = false
  }

  /** Whether every link of `ids` still resolves as it did; `resolves` answers for one link. */
  allResolve(ids: readonly number[], resolves: (link: LinkRecord) => boolean): boolean {
    for (const id of ids) {
      let valid = this.#valid[id]
      if (valid === undefined) {
        valid = resolves(this.records[id]!)
        this.#valid[id] = valid
      }
      if (!valid) return false
    }
    return true
  }

  /**
   * The id of a link this build resolved: `dirs` are the folders a relative link was
   * resolved against, NUL-separated ('' for a site-absolute link or a URL).
   */
  id(dirs: string, value: string, target: string, suffix: string): number {
    // Within one build a link resolves one way.
    let known = this.#built.get(dirs)
    if (known === undefined) {
      known = new Map()
      this.#built.set(dirs, known)
    }
    let id = known.get(value)
    if (id === undefined) {
      id = this.#record([dirs, value, target, suffix])
      // Copied: `value` is often a slice of a whole page, which it would keep in memory.
      known.set(copy(value), id)
    }
    return id
  }

  /** A record's id: the last build's, when it has the same one, else a new one. */
  #record(link: LinkRecord): number {
    if (this.#ids === undefined) {
      this.#ids = new Map()
      for (const [i, l] of this.records.entries()) if (this.#valid[i] !== false) this.#ids.set(JSON.stringify(l), i)
    }
    const key = JSON.stringify(link)
    let id = this.#ids.get(key)
    if (id === undefined || this.#valid[id] === false) {
      id = this.records.push(link.map(copy) as LinkRecord) - 1
      this.#ids.set(key, id)
    }
    this.#valid[id] = true
    return id
  }
}

const copy = (s: string): string => JSON.parse(JSON.stringify(s)) as string

const isLinkRecord = (l: unknown): boolean => Array.isArray(l) && l.length === 4 && l.every((part) => typeof part === 'string')
