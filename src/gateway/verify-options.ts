/** Options of `verify`, their defaults, and validation messages that name the option. */
import { CID } from 'multiformats/cid'
import { MAX_BLOCK_BYTES, VERIFY_CONCURRENCY, VERIFY_REQUEST_TIMEOUT_MS } from '../constants.ts'
import { VerifyError } from '../errors.ts'
import type { RetryPolicy } from '../net/retry.ts'

export interface VerifyOptions {
  /** Base URLs of trustless gateways, e.g. `https://trustless-gateway.link`; `/ipfs/<cid>` is appended. */
  gateways: string[]
  /** Injected for tests or a custom agent. @default globalThis.fetch */
  fetch?: typeof fetch
  /** Per request: how long to wait for the response headers, and for each further chunk of a body. @default VERIFY_REQUEST_TIMEOUT_MS (30 s) */
  timeoutMs?: number
  /** Raw block requests in flight per gateway. @default VERIFY_CONCURRENCY (8) */
  concurrency?: number
  /** Retries of failed requests (network errors, 408, 429, 5xx). @default the `src/net/retry.ts` defaults */
  retry?: RetryPolicy
  /** A block larger than this is refused, as a raw response or as a CAR section (before any of it is buffered). @default MAX_BLOCK_BYTES (4 MiB) */
  maxBlockBytes?: number
}

export interface NormalizedVerifyOptions {
  cid: CID
  gateways: string[]
  fetch: typeof fetch | undefined
  timeoutMs: number
  concurrency: number
  retry: RetryPolicy
  maxBlockBytes: number
  signal: AbortSignal | undefined
}

export function parseCid(value: CID | string): CID {
  const asCid = CID.asCID(value)
  if (asCid !== null) return asCid
  if (typeof value !== 'string') throw new VerifyError(`cid: expected a CID or a string, got ${typeof value}`)
  // Accept what people paste: /ipfs/<cid>, ipfs://<cid>, with or without a trailing slash.
  const text = value.trim().replace(/^ipfs:\/\//, '').replace(/^\/ipfs\//, '').replace(/\/+$/, '')
  try {
    return CID.parse(text)
  } catch (err) {
    throw new VerifyError(`'${value}' is not a CID: ${(err as Error).message}`, { cause: err })
  }
}

/** `https://gw.example/` and `https://gw.example` are the same gateway; a query or fragment would break the URLs we build. */
export function normalizeGateway(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch (err) {
    throw new VerifyError(`gateway '${value}' is not a URL; give one like https://trustless-gateway.link`, { cause: err })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VerifyError(`gateway '${value}' must be an http:// or https:// URL, got ${url.protocol}`)
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new VerifyError(`gateway '${value}' must be a base URL without query, fragment or credentials`)
  }
  if (/\/ipfs(\/|$)/.test(url.pathname)) {
    throw new VerifyError(`gateway '${value}' must be the gateway's base URL, without /ipfs/...; it is added for each request`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) throw new VerifyError(`${option} must be a positive integer, got ${value}`)
  return value
}

export function normalizeVerifyOptions(cid: CID | string, options: VerifyOptions & { signal?: AbortSignal }): NormalizedVerifyOptions {
  if (!Array.isArray(options.gateways) || options.gateways.length === 0) {
    throw new VerifyError('gateways: give at least one gateway URL to fetch the DAG from')
  }
  const gateways = [...new Set(options.gateways.map(normalizeGateway))]
  const retries = options.retry?.retries
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    throw new VerifyError(`retry.retries must be a whole number of retries (0 or more), got ${retries}`)
  }
  return {
    cid: parseCid(cid),
    gateways,
    fetch: options.fetch,
    timeoutMs: positiveInteger(options.timeoutMs, VERIFY_REQUEST_TIMEOUT_MS, 'timeoutMs'),
    concurrency: positiveInteger(options.concurrency, VERIFY_CONCURRENCY, 'concurrency'),
    retry: options.retry ?? {},
    maxBlockBytes: positiveInteger(options.maxBlockBytes, MAX_BLOCK_BYTES, 'maxBlockBytes'),
    signal: options.signal,
  }
}
