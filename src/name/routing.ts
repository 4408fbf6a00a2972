/**
 * The IPNS half of the Delegated Routing V1 HTTP API (ipfs/specs `src/routing/http-routing-v1.md`):
 * `GET` and `PUT /routing/v1/ipns/{name}` of one signed record, `application/vnd.ipfs.ipns-record`.
 *
 * Written over `fetchWithRetry` rather than `@helia/delegated-routing-v1-http-api-client`:
 * that client has no retries, backoff or `Retry-After`, may answer a GET from its response
 * cache (we must see what the router holds now, before and right after a PUT), and reports
 * a refused PUT without its status or the router's reason. The client is still what the
 * tests resolve with, on a separate node: an independent reader of what we publish.
 */
import { IPNS_RECORD_CONTENT_TYPE, IPNS_RECORD_MAX_BYTES, IPNS_ROUTER_TIMEOUT_MS, ROUTER_ERROR_EXCERPT_CHARS } from '../constants.ts'
import { AbortError, IpnsRoutingError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import { describeError, describeStatus, fetchWithRetry, type RetryInfo, type RetryPolicy } from '../net/retry.ts'

export interface IpnsRouterComponents {
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface IpnsRouterInit extends RetryPolicy {
  /** The endpoint's base URL, e.g. `https://delegated-ipfs.dev` (a trailing `/routing/v1` is accepted). */
  url: string
  /**
   * Time allowed for the response headers of each attempt.
   * @default 30000
   */
  timeoutMs?: number
}

export interface IpnsRouterRequestOptions extends AbortOptions {
  /** Called before each retry, with the reason the previous attempt failed. */
  onRetry?: (info: RetryInfo) => void
}

export interface IpnsRouter {
  /** The base URL as normalized (no trailing slash): how messages and results name the router. */
  readonly url: string
  /** The marshaled record the router holds for an IPNS name (base36 CIDv1), unvalidated; undefined if none. */
  get(name: string, options?: IpnsRouterRequestOptions): Promise<Uint8Array | undefined>
  /** Hands a marshaled record to the router; resolves once it answered 2xx. */
  put(name: string, record: Uint8Array, options?: IpnsRouterRequestOptions): Promise<void>
}

/** `https://host/x/` and `https://host/x/routing/v1` both → `https://host/x`; anything but http(s) is refused. */
export function normalizeRouterUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new IpnsRoutingError(`'${url}' is not a URL; give a delegated routing endpoint such as https://delegated-ipfs.dev`, { router: url })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new IpnsRoutingError(`${url}: a delegated routing endpoint must be http:// or https://`, { router: url })
  }
  if (parsed.search !== '' || parsed.hash !== '') throw new IpnsRoutingError(`${url}: give the endpoint without a query or fragment`, { router: url })
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '').replace(/\/routing\/v1$/, '')}`
}

export function createIpnsRouter(components: IpnsRouterComponents, init: IpnsRouterInit): IpnsRouter {
  const url = normalizeRouterUrl(init.url)
  const timeoutMs = init.timeoutMs ?? IPNS_ROUTER_TIMEOUT_MS
  const endpoint = (name: string): string => `${url}/routing/v1/ipns/${encodeURIComponent(name)}`

  async function request(method: 'GET' | 'PUT', name: string, requestInit: RequestInit, options: IpnsRouterRequestOptions): Promise<Response> {
    try {
      return await fetchWithRetry(endpoint(name), { ...requestInit, method }, { ...init, fetch: components.fetch, timeoutMs, signal: options.signal, onRetry: options.onRetry })
    } catch (err) {
      if (err instanceof AbortError) throw err
      throw new IpnsRoutingError(`${url}: ${method} of the IPNS record for ${name} failed: ${describeError(err)}`, { router: url, cause: err })
    }
  }

  return {
    url,
    async get(name, options = {}) {
      const response = await request(
        'GET',
        name,
        // no-cache: a cache in front of the router must ask it again; what it held a TTL ago is no use here.
        { headers: { accept: IPNS_RECORD_CONTENT_TYPE, 'cache-control': 'no-cache' } },
        options,
      )
      if (response.status === 404) return discard(response)
      if (response.status !== 200) throw await refused(url, 'GET', name, response)
      // IPIP-0513: a 200 of any other type (text/plain "Record not found") means there is no record.
      if (!(response.headers.get('content-type') ?? '').toLowerCase().startsWith(IPNS_RECORD_CONTENT_TYPE)) return discard(response)
      const declared = Number(response.headers.get('content-length') ?? 0)
      if (declared > IPNS_RECORD_MAX_BYTES) {
        await response.body?.cancel().catch(() => {})
        throw tooLarge(url, name, declared)
      }
      const body = new Uint8Array(await response.arrayBuffer())
      if (body.byteLength > IPNS_RECORD_MAX_BYTES) throw tooLarge(url, name, body.byteLength)
      return body
    },
    async put(name, record, options = {}) {
      const response = await request('PUT', name, { headers: { 'content-type': IPNS_RECORD_CONTENT_TYPE }, body: new Uint8Array(record) }, options)
      if (response.status < 200 || response.status > 299) throw await refused(url, 'PUT', name, response)
      await response.body?.cancel().catch(() => {})
    },
  }
}

async function discard(response: Response): Promise<undefined> {
  await response.body?.cancel().catch(() => {})
  return undefined
}

function tooLarge(url: string, name: string, bytes: number): IpnsRoutingError {
  return new IpnsRoutingError(`${url}: the record it holds for ${name} is ${bytes} bytes, over the ${IPNS_RECORD_MAX_BYTES}-byte limit of IPNS records`, {
    router: url,
  })
}

/** The router's own words (the start of its body) beside the status: a 400 usually says what was wrong with the record. */
async function refused(url: string, method: string, name: string, response: Response): Promise<IpnsRoutingError> {
  const text = await response.text().catch(() => '')
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ROUTER_ERROR_EXCERPT_CHARS)
  const reason = excerpt === '' ? describeStatus(response) : `${describeStatus(response)}: ${excerpt}`
  const hint = response.status === 401 || response.status === 403 ? ' (this endpoint wants credentials; use one that accepts IPNS records openly)' : ''
  return new IpnsRoutingError(`${url} refused the ${method} of the IPNS record for ${name}: ${reason}${hint}`, { router: url, status: response.status })
}
