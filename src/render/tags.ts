/**
 * Tags: a YAML list, a comma string ("gateway, bootstrap") or one string. Spellings that
 * give the same slug ("IPFS", "ipfs") are one tag shown with the first spelling seen.
 */
import { slugify } from './slug.ts'

export interface Tag {
  name: string
  slug: string
}

/** The tag names of a `tags` value, or undefined when the value is not a list or a string. */
export function tagNames(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return value.split(',').map((t) => t.trim()).filter((t) => t !== '')
  if (typeof value === 'number') return [String(value)]
  if (!Array.isArray(value)) return undefined
  const names: string[] = []
  for (const item of value) {
    if (typeof item === 'string' || typeof item === 'number') {
      const name = String(item).trim()
      if (name !== '') names.push(name)
    } else {
      return undefined
    }
  }
  return names
}

/** Keeps the first spelling of each tag; `tag()` returns the canonical tag of a name. */
export class TagRegistry {
  readonly #bySlug = new Map<string, Tag>()

  /** The tag for `name`, registering it on first sight; undefined when it has no slug (only punctuation). */
  tag(name: string): Tag | undefined {
    const slug = slugify(name)
    if (slug === '') return undefined
    let tag = this.#bySlug.get(slug)
    if (tag === undefined) {
      tag = { name, slug }
      this.#bySlug.set(slug, tag)
    }
    return tag
  }
}
