/** The render cache's entries in memory: where each one's bytes are, and what is kept beside them. */
import { fstatSync, openSync } from 'node:fs'
import { join } from 'node:path'
import type { Diagnostic } from '../../errors.ts'
import type { RefUse } from '../types.ts'
import { type Blob, SEGMENT, SegmentReader, SegmentWriter } from './segments.ts'

export interface Segment {
  name: string
  /** Open for reading (the last build's segments), or undefined (missing, or one this build writes). */
  reader: SegmentReader | undefined
  /** Bytes on disk. */
  size: number
  /** Bytes of the entries this build uses. */
  live: number
}

export interface Entry {
  segment: Segment
  blob: Blob
}

/** What is kept of a post's Markdown besides its HTML and headings (read only when needed). */
export interface CachedMarkdown extends Entry {
  /** Null until some build needed it (a post with a description has its summary). */
  firstParagraph: string | null
  readingMinutes: number
  errors: Diagnostic[]
  warnings: Diagnostic[]
  refs: RefUse[]
}

export interface CachedPage extends Entry {
  /** Ids in the cache's link table. */
  links: number[]
}

/** A segment this build writes. */
export interface Output {
  writer: SegmentWriter
  segment: Segment
}

/** Markdown apart from pages: a window of pages read back then holds only pages. */
export interface Outputs {
  markdown: Output
  pages: Output
}

export function newOutputs(dir: string): Outputs {
  const output = (): Output => {
    const writer = new SegmentWriter(dir)
    return { writer, segment: { name: writer.name, reader: undefined, size: 0, live: 0 } }
  }
  return { markdown: output(), pages: output() }
}

export function openSegment(dir: string, name: string): Segment {
  // Only a name this cache writes: a manifest never points outside its folder.
  if (!SEGMENT.test(name)) return { name, reader: undefined, size: 0, live: 0 }
  try {
    const fd = openSync(join(dir, name), 'r')
    return { name, reader: new SegmentReader(fd), size: fstatSync(fd).size, live: 0 }
  } catch {
    // Removed by another build, or never finished: its entries are rendered again.
    return { name, reader: undefined, size: 0, live: 0 }
  }
}
