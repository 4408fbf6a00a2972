/**
 * What a Hugo `relref`/`ref` in a post can name: another post by source file, file name or
 * slug. Kept as plain entries so the table can be sent to Markdown worker threads.
 */
import type { Post } from './posts.ts'

export interface RefTable {
  /** Source file (`posts/a.md`) → URL path. */
  sources: [string, string][]
  /** File name with and without extension, and slug → URL path. */
  names: [string, string][]
}

export function refTable(posts: readonly Post[]): RefTable {
  const bySource = new Map<string, string>()
  const byName = new Map<string, string>()
  for (const post of posts) {
    bySource.set(post.file, post.urlPath)
    const name = post.file.replace(/^posts\//, '')
    byName.set(name, post.urlPath)
    byName.set(name.replace(/\.(md|markdown)$/i, ''), post.urlPath)
    if (!byName.has(post.slug)) byName.set(post.slug, post.urlPath)
  }
  return { sources: [...bySource], names: [...byName] }
}

/** Resolves a ref target ("posts/other.md", "other") to a URL path, or undefined. */
export function refResolver(table: RefTable): (ref: string) => string | undefined {
  const bySource = new Map(table.sources)
  const byName = new Map(table.names)
  return (ref) => {
    const clean = ref.replace(/^\.?\//, '').replace(/[?#].*$/, '')
    return bySource.get(clean) ?? byName.get(clean) ?? byName.get(clean.replace(/\.(md|markdown)$/i, ''))
  }
}
