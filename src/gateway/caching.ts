/** HTTP caching for content: `Cache-Control` by namespace, `ETag` comparison. */
import { IMMUTABLE_CACHE_CONTROL } from '../constants.ts'
import type { Headers } from './reply.ts'
import type { Namespace } from './url-path.ts'

/**
 * `/ipfs/` is immutable. `/ipns/` may change: its `max-age` is the record's TTL when
 * known; without one no `Cache-Control` is sent, and `Last-Modified` says when it was
 * resolved, as the path gateway spec asks.
 */
export function cacheHeaders(namespace: Namespace, ttlSeconds: number | undefined, now = new Date()): Headers {
  if (namespace === 'ipfs') return { 'Cache-Control': IMMUTABLE_CACHE_CONTROL }
  return {
    ...(ttlSeconds === undefined ? {} : { 'Cache-Control': `public, max-age=${Math.max(0, Math.floor(ttlSeconds))}` }),
    'Last-Modified': now.toUTCString(),
  }
}

/** `If-None-Match` against an entity tag, with the weak comparison RFC 9110 prescribes for it. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  if (ifNoneMatch.trim() === '*') return true
  const strip = (tag: string) => tag.trim().replace(/^W\//, '')
  const wanted = strip(etag)
  return ifNoneMatch.split(',').some((tag) => strip(tag) === wanted)
}
