/**
 * HTTP requests that survive a flaky network: a time limit per attempt, and bounded
 * retries with exponential backoff and jitter for network errors, 408, 429 and 5xx,
 * honouring `Retry-After`. Shared by every stage that talks to a remote service.
 */
import { STATUS_CODES } from 'node:http'
import {
  HTTP_MAX_RETRY_AFTER_MS,
  HTTP_RETRIES,
  HTTP_RETRY_MAX_DELAY_MS,
  HTTP_RETRY_MIN_DELAY_MS,
} from '../constants.ts'
import { AbortError } from '../errors.ts'

export interface RetryPolicy {
  /** Further attempts after the first. @default HTTP_RETRIES (3) */
  retries?: number
  /** Delay before the first retry; doubled for each further one. @default HTTP_RETRY_MIN_DELAY_MS (250) */
  minDelayMs?: number
  /** Upper bound of the backoff delay. @default HTTP_RETRY_MAX_DELAY_MS (10 s) */
  maxDelayMs?: number
  /** A `Retry-After` longer than this stops the retries and the response is returned as is. @default HTTP_MAX_RETRY_AFTER_MS (60 s) */
  maxRetryAfterMs?: number
  /** Source of jitter in [0, 1); tests pass a constant. @default Math.random */
  random?: () => number
}

export interface RetryInfo {
  url: string
  /** The attempt about to be made, 2 for the first retry. */
  attempt: number
  delayMs: number
  /** Why the previous attempt failed, in words. */
  reason: string
}

export interface FetchWithRetryOptions extends RetryPolicy {
  /** Injected for tests and for callers with their own agent. @default globalThis.fetch */
  fetch?: typeof fetch
  /** Time allowed for the response headers of each attempt; the body is the caller's to time. */
  timeoutMs?: number
  signal?: AbortSignal
  onRetry?: (info: RetryInfo) => void
}

/** An attempt got no response headers within its time limit. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError'
}

/** Statuses worth asking again: the server may answer differently in a moment. 501 and 505 never will. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

/** `HTTP 503 Service Unavailable`: the reason phrase from the table when the response has none (HTTP/2 never does). */
export function describeStatus(response: Response): string {
  const phrase = response.statusText === '' ? STATUS_CODES[response.status] : response.statusText
  return phrase === undefined ? `HTTP ${response.status}` : `HTTP ${response.status} ${phrase}`
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Backoff before retry number `retry` (1-based): exponential, capped, with "equal jitter" so clients spread out. */
export function backoffDelay(retry: number, policy: RetryPolicy = {}): number {
  const min = policy.minDelayMs ?? HTTP_RETRY_MIN_DELAY_MS
  const max = policy.maxDelayMs ?? HTTP_RETRY_MAX_DELAY_MS
  const base = Math.min(max, min * 2 ** (retry - 1))
  const random = policy.random ?? Math.random
  return Math.round(base / 2 + random() * (base / 2))
}

/** An error from fetch in words, including the system error undici hides in `cause` (ECONNREFUSED, ...). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause
  if (cause instanceof Error && cause.message !== '' && !err.message.includes(cause.message)) {
    return `${err.message}: ${cause.message}`
  }
  return err.message
}

/** A call, so TypeScript does not keep an earlier check's narrowing: the signal can fire while we await. */
function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true
}

function abortError(signal: AbortSignal): AbortError {
  return new AbortError('the request was cancelled', { cause: signal.reason })
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortError(signal))
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError(signal!))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** One attempt, aborted if its headers do not arrive in time. The body stays bound to the caller's signal only. */
async function attempt(url: string, init: RequestInit, options: FetchWithRetryOptions): Promise<Response> {
  if (isAborted(options.signal)) throw abortError(options.signal)
  const fetchFn = options.fetch ?? globalThis.fetch
  const controller = new AbortController()
  const signals = options.signal === undefined ? [controller.signal] : [controller.signal, options.signal]
  let timer: ReturnType<typeof setTimeout> | undefined
  if (options.timeoutMs !== undefined) {
    const ms = options.timeoutMs
    timer = setTimeout(() => controller.abort(new RequestTimeoutError(`no response within ${ms} ms`)), ms)
  }
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.any(signals) })
  } catch (err) {
    if (isAborted(options.signal)) throw abortError(options.signal)
    if (controller.signal.aborted) throw controller.signal.reason
    throw err
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Fetches `url`, retrying what may succeed later. Returns the last response, whatever its
 * status (the caller decides what a 404 means), or throws the last network error or
 * `RequestTimeoutError` once the retries are spent; `AbortError` when `signal` fires.
 */
export async function fetchWithRetry(url: string, init: RequestInit = {}, options: FetchWithRetryOptions = {}): Promise<Response> {
  const retries = options.retries ?? HTTP_RETRIES
  const maxRetryAfter = options.maxRetryAfterMs ?? HTTP_MAX_RETRY_AFTER_MS
  for (let retry = 1; ; retry++) {
    let reason: string
    let retryAfter: number | undefined
    try {
      const response = await attempt(url, init, options)
      if (!isRetryableStatus(response.status) || retry > retries) return response
      retryAfter = parseRetryAfter(response.headers.get('retry-after'))
      if (retryAfter !== undefined && retryAfter > maxRetryAfter) return response
      reason = describeStatus(response)
      // Free the connection: the body of a response we discard would otherwise hold it.
      await response.body?.cancel().catch(() => {})
    } catch (err) {
      if (err instanceof AbortError || retry > retries) throw err
      reason = describeError(err)
    }
    const delayMs = Math.max(backoffDelay(retry, options), retryAfter ?? 0)
    options.onRetry?.({ url, attempt: retry + 1, delayMs, reason })
    await sleep(delayMs, options.signal)
  }
}
