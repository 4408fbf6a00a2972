/** URL paths to content paths and back: percent-decoding, segments, the trailing slash. */
import { HttpError } from './http-error.ts'

export type Namespace = 'ipfs' | 'ipns'

/** `/<namespace>/<root>/<segments...>[/]`: what a request asks for before any resolution. */
export interface ContentPath {
  namespace: Namespace
  /** A CID under `/ipfs/`; an IPNS key or a DNSLink domain under `/ipns/`. */
  root: string
  segments: string[]
  /** Whether the URL ended with `/` (directories are served only with one). */
  trailingSlash: boolean
}

/** Splits a URL path into decoded segments; empty segments (`//`) are dropped. */
export function splitPath(pathname: string): { segments: string[]; trailingSlash: boolean } {
  const segments: string[] = []
  for (const raw of pathname.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      throw new HttpError(400, `the URL path has a malformed percent-escape in '${raw}'`)
    }
    segments.push(segment)
  }
  return { segments, trailingSlash: pathname.endsWith('/') }
}

/** Re-encodes segments into a URL path starting with `/`. */
export function joinPath(segments: readonly string[], trailingSlash: boolean): string {
  const path = `/${segments.map(encodeURIComponent).join('/')}`
  return trailingSlash && segments.length > 0 ? `${path}/` : path
}

/** Reads `/ipfs/<cid>/...` or `/ipns/<name>/...`; undefined for any other path. */
export function parseContentPath(pathname: string): ContentPath | undefined {
  const { segments, trailingSlash } = splitPath(pathname)
  const [namespace, root, ...rest] = segments
  if ((namespace !== 'ipfs' && namespace !== 'ipns') || root === undefined) return undefined
  return { namespace, root, segments: rest, trailingSlash }
}

/** The content path as the `X-Ipfs-Path` header and path-gateway URLs write it. */
export function formatContentPath(path: ContentPath): string {
  const rest = joinPath(path.segments, path.trailingSlash)
  return `/${path.namespace}/${encodeURIComponent(path.root)}${rest === '/' ? (path.trailingSlash ? '/' : '') : rest}`
}
