/**
 * JSON requests to a DNS provider's REST API, through `fetchWithRetry` (per-attempt time
 * limit, backoff, `Retry-After` on 429). The token goes in the Authorization header only:
 * nothing here puts it in a URL, a message, an event or an error.
 */
import { DNS_API_TIMEOUT_MS } from '../../constants.ts'
import { AbortError, DnslinkError } from '../../errors.ts'
import { describeError, fetchWithRetry, type RetryPolicy } from '../../net/retry.ts'
import type { NamePublishOptions } from '../index.ts'

export interface HttpComponents {
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** Retry timing; tests shorten it. */
  retry?: RetryPolicy
}

export interface ApiReply {
  status: number
  headers: Headers
  /** The parsed JSON body; undefined for an empty or non-JSON body. */
  body: unknown
}

export interface ApiClient {
  request(method: string, path: string, options: NamePublishOptions & { query?: Record<string, string | number>; body?: unknown }): Promise<ApiReply>
}

export interface ApiClientInit {
  /** The provider's id in events (`cloudflare`) and its name in messages (`Cloudflare`). */
  provider: string
  label: string
  /** The DNSLink domain, for retry events. */
  domain: string
  baseUrl: string
  token: string
}

/** A client for one API. Every reply is returned whatever its status; the provider reads its own error envelope. */
export function createApiClient(init: ApiClientInit, components: HttpComponents): ApiClient {
  const { provider, label, domain, token } = init
  const base = init.baseUrl.replace(/\/+$/, '')
  return {
    async request(method, path, options) {
      const url = new URL(`${base}${path}`)
      for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value))
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
      if (options.body !== undefined) headers['content-type'] = 'application/json'
      let response: Response
      try {
        response = await fetchWithRetry(
          url.toString(),
          { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
          {
            ...components.retry,
            fetch: components.fetch,
            timeoutMs: DNS_API_TIMEOUT_MS,
            signal: options.signal,
            onRetry: (info) =>
              options.onProgress?.({
                type: 'name:dnslink:retry',
                detail: { domain, provider, attempt: info.attempt, delayMs: info.delayMs, reason: info.reason },
              }),
          },
        )
      } catch (err) {
        if (err instanceof AbortError) throw err
        throw new DnslinkError(`cannot reach the ${label} API (${method} ${url.origin}${url.pathname}): ${describeError(err)}`, { cause: err })
      }
      const text = await response.text()
      let body: unknown
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        body = undefined
      }
      return { status: response.status, headers: response.headers, body }
    },
  }
}

/** Seconds from a `Retry-After` header, for messages; undefined when absent. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after')
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined
}
