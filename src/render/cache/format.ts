/**
 * The render cache on disk. Entries' bytes (a post's HTML and headings, a finished page)
 * are appended to segment files; one manifest names the live entries, where their bytes
 * are with a CRC-32 each, and the small facts read for every post (summary, reading time,
 * diagnostics, what its refs and links resolved to). The manifest carries its own CRC-32
 * and is replaced by rename, so a reader sees one whole build's cache or none.
 */
import { crc32 } from 'node:zlib'
import type { Diagnostic } from '../../errors.ts'
import type { RefUse } from '../types.ts'

/** Raised whenever what is stored, or what a key covers, changes meaning: older caches are then ignored whole. */
export const RENDER_CACHE_FORMAT = 1

export const MANIFEST_FILE = 'manifest'
const MAGIC = 'ipfs-publish render cache'

/** Where an entry's bytes are: segment (index into `segments`), offset, length, CRC-32. */
type Place = [segment: number, offset: number, length: number, crc: number]

/** A post's Markdown: its bytes are the headings as JSON, a line feed, then the HTML. */
export type MarkdownRecord = [key: string, ...Place, firstParagraph: string | null, readingMinutes: number, errors: Diagnostic[], warnings: Diagnostic[], refs: RefUse[]]

/** A finished page: its bytes are the page; `links` index `Manifest.links`. */
export type PageRecord = [key: string, ...Place, links: number[]]

/**
 * A link of a page that resolved to a file of the site, and to what: `dirs` are the folders
 * a relative link was tried against, separated by NUL ('' for a site-absolute link or a
 * URL, which resolve alike on every page).
 */
export type LinkRecord = [dirs: string, value: string, target: string, suffix: string]

export interface Manifest {
  format: number
  /** What made the entries (renderer code, packages, Node): see fingerprint.ts. */
  fingerprint: string
  /** Segment file names. */
  segments: string[]
  links: LinkRecord[]
  markdown: MarkdownRecord[]
  pages: PageRecord[]
}

export function emptyManifest(fingerprint: string): Manifest {
  return { format: RENDER_CACHE_FORMAT, fingerprint, segments: [], links: [], markdown: [], pages: [] }
}

export function serializeManifest(manifest: Manifest): string {
  const json = JSON.stringify(manifest)
  return `${MAGIC} ${RENDER_CACHE_FORMAT}\n${crc32(json).toString(16)}\n${json}`
}

/** The manifest, or why it cannot be used. Never throws. */
export function parseManifest(text: string): Manifest | { problem: string } {
  const first = text.indexOf('\n')
  const second = text.indexOf('\n', first + 1)
  if (first === -1 || second === -1 || !text.startsWith(`${MAGIC} `)) return { problem: 'not a render cache manifest' }
  if (text.slice(MAGIC.length + 1, first) !== String(RENDER_CACHE_FORMAT)) return { problem: 'written by another version' }
  const json = text.slice(second + 1)
  if (text.slice(first + 1, second) !== crc32(json).toString(16)) return { problem: 'checksum mismatch' }
  let manifest: Manifest
  try {
    manifest = JSON.parse(json) as Manifest
  } catch {
    return { problem: 'not valid JSON' }
  }
  const lists = [manifest?.segments, manifest?.links, manifest?.markdown, manifest?.pages]
  if (typeof manifest?.fingerprint !== 'string' || !lists.every(Array.isArray)) return { problem: 'malformed' }
  return manifest
}
