/**
 * The HTTP side of the `storacha` target: a UCAN connection to a w3up upload service, and
 * the one `fetch` every request of an operation goes through (UCAN invocations, blob PUTs
 * to the presigned URLs, receipt polls). That fetch carries the operation's signal, retries
 * with our backoff, counts the bytes PUT, and turns every final failure into a
 * `TransportError`, so the client library neither retries on its own nor prints.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as UcantoClient from '@ucanto/client'
import { DID } from '@ucanto/core'
import type { ConnectionView } from '@ucanto/interface'
import { CAR, HTTP } from '@ucanto/transport'
import type { Service } from '@web3-storage/w3up-client/types'
import { PIN_REQUEST_TIMEOUT_MS, STORACHA_RECEIPT_POLLS } from '../constants.ts'
import { type RetryInfo, backoffDelay, describeError, describeStatus, fetchWithRetry } from '../net/retry.ts'

/**
 * A request that failed for good (after our retries). A TypeError on purpose: the client
 * library (`p-retry` in @web3-storage/upload-client) passes a non-network TypeError straight
 * through, instead of retrying it again and printing each attempt with `console.warn`.
 */
export class TransportError extends TypeError {
  override name = 'TransportError'
  /** The HTTP status of the final answer; undefined when there was none (refused, reset, timed out). */
  readonly status: number | undefined
  /** `METHOD origin/path`, never the query (a presigned URL's signature). */
  readonly request: string

  constructor(message: string, options: { request: string; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause })
    this.request = options.request
    this.status = options.status
  }
}

type Fetcher = NonNullable<Parameters<typeof HTTP.open>[0]['fetch']>

/** A UCAN connection to the w3up service at `url`, whose DID is `did`, over HTTP `POST`. */
export function w3upConnection(init: { url: URL; did: string; fetch?: typeof fetch }): ConnectionView<Service> {
  const connection = UcantoClient.connect({
    id: DID.parse(init.did as `did:${string}:${string}`),
    codec: CAR.outbound,
    // ucanto's fetch type is a narrow subset of the standard one (bytes in, arrayBuffer out).
    channel: HTTP.open<Service>({ url: init.url, method: 'POST', ...(init.fetch ? { fetch: init.fetch as unknown as Fetcher } : {}) }),
  })
  // npm installs two copies of @ucanto/interface (one under @ucanto/principal): the same
  // types from two paths, which TypeScript will not unify.
  return connection as unknown as ConnectionView<Service>
}

export interface TransportInit {
  fetch: typeof fetch
  /** The operation's signal (the caller's and the target's timeout together). */
  signal: AbortSignal
  receiptsUrl: URL
  onRetry: (info: RetryInfo) => void
  /** Called once per successful PUT with the size of its body. */
  onPut: (bytes: number) => void
}

function bodyBytes(body: RequestInit['body']): number {
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength
  if (typeof body === 'string') return Buffer.byteLength(body)
  return 0
}

function shown(url: string): string {
  const u = new URL(url)
  return `${u.origin}${u.pathname}`
}

/** The fetch for one operation: see the module comment. */
export function transportFetch(init: TransportInit): typeof fetch {
  const retrying = (url: string, request: RequestInit, timeoutMs: number | undefined) =>
    fetchWithRetry(url, request, { fetch: init.fetch, signal: init.signal, timeoutMs, onRetry: init.onRetry })

  return async (input, request = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const method = (request.method ?? 'GET').toUpperCase()
    const what = `${method} ${shown(url)}`
    let response: Response
    try {
      if (method === 'GET' && url.startsWith(init.receiptsUrl.href)) {
        response = await pollReceipt(url, (u) => retrying(u, request, PIN_REQUEST_TIMEOUT_MS), init)
      } else {
        // A PUT's answer only comes once the whole shard is sent: the operation's timeout bounds it.
        response = await retrying(url, request, method === 'PUT' ? undefined : PIN_REQUEST_TIMEOUT_MS)
      }
    } catch (err) {
      throw new TransportError(`${what} failed: ${describeError(err)}`, { request: what, cause: err })
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '')
      const said = body.trim() === '' ? '' : `: ${body.trim().split('\n')[0]?.slice(0, 200)}`
      throw new TransportError(`${what} answered ${describeStatus(response)}${said}`, { request: what, status: response.status })
    }
    if (method === 'PUT') init.onPut(bodyBytes(request.body))
    return response
  }
}

/**
 * A receipt the service has not written yet is a 404 for a while: asked again with backoff
 * (the library would, printing each try), a bounded number of times.
 */
async function pollReceipt(url: string, get: (url: string) => Promise<Response>, init: TransportInit): Promise<Response> {
  for (let poll = 1; ; poll++) {
    const response = await get(url)
    if (response.status !== 404 || poll >= STORACHA_RECEIPT_POLLS) return response
    await response.body?.cancel()
    const delayMs = backoffDelay(poll)
    init.onRetry({ url, attempt: poll + 1, delayMs, reason: 'the receipt is not there yet' })
    await sleep(delayMs, undefined, { signal: init.signal })
  }
}
