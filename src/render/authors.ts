/**
 * A post's `author`: one string naming several people ("A, B & C", "A and B",
 * "A, B, and C") or a YAML list, matched against the site's authors by id or name.
 */
import type { AuthorConfig } from './types.ts'

export interface PostAuthor {
  name: string
  /** Where the name links, when the site config knows the author. */
  url: string | undefined
  /** The id in the site config, when matched. */
  id: string | undefined
}

const SEPARATORS = /\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*/i

/** Splits an `author` value into names; an empty list when there is none. */
export function splitAuthors(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.flatMap((v) => (typeof v === 'string' ? v.split(SEPARATORS) : [])) : []
  if (typeof value === 'string') parts.push(...value.split(SEPARATORS))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

export type AuthorIndex = Map<string, { id: string; config: AuthorConfig }>

/** Indexes the configured authors by lowercased id and name, once per render. */
export function indexAuthors(authors: Record<string, AuthorConfig>): AuthorIndex {
  const index: AuthorIndex = new Map()
  for (const [id, config] of Object.entries(authors)) {
    index.set(id.toLowerCase(), { id, config })
    if (!index.has(config.name.toLowerCase())) index.set(config.name.toLowerCase(), { id, config })
  }
  return index
}

export function resolveAuthors(names: string[], index: AuthorIndex): PostAuthor[] {
  return names.map((name) => {
    const known = index.get(name.toLowerCase())
    return known === undefined ? { name, url: undefined, id: undefined } : { name: known.config.name, url: known.config.url, id: known.id }
  })
}
