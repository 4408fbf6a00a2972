/**
 * A small Pinning Service API v1.0.0 client over `fetchWithRetry`. Written here rather
 * than taken from `@ipfs-shipyard/pinning-service-client` because we need what that
 * generated client does not give: the token kept out of every error, bodies read inside
 * the retried attempt (so a response cut half-way is retried like a dropped connection),
 * and POSTs that never pin twice — before a POST is sent again after an unknown outcome,
 * the pin is looked up and reused if the first one did arrive.
 */
import { PIN_LIST_PAGE_SIZE, PIN_REQUEST_TIMEOUT_MS } from '../constants.ts'
import { AbortError, PinError, PinServiceUnavailableError } from '../errors.ts'
import { describeError, fetchWithRetry, type RetryInfo, type RetryPolicy } from '../net/retry.ts'
import {
  type ListQuery,
  MalformedResponseError,
  type PinJson,
  type PinStatusJson,
  parsePinResults,
  parsePinStatus,
  queryString,
} from './pinning-service-api.ts'
import { type ErrorContext, redact, responseError, scrubbed } from './pinning-service-errors.ts'

export interface PinningServiceClientInit {
  /** The target's name, for messages. */
  target: string
  /** The API's base URL, without `/pins` and without a trailing slash. */
  endpoint: string
  token: string
  /** Where the token came from, so a refusal can say which variable to check. */
  tokenEnv: string
  /** @default PIN_REQUEST_TIMEOUT_MS (30 s) per attempt, headers and body */
  requestTimeoutMs?: number
  /** @default fetchWithRetry's policy */
  retry?: RetryPolicy
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  onRetry?: (info: RetryInfo) => void
}

interface Answer {
  status: number
  body: string
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  body?: unknown
  signal?: AbortSignal
  /** For POSTs: asked before every attempt after the first; a pin it returns is taken as the answer. */
  lookup?: (signal: AbortSignal | undefined) => Promise<PinStatusJson | undefined>
}

export class PinningServiceClient {
  private readonly init: PinningServiceClientInit

  constructor(init: PinningServiceClientInit) {
    this.init = init
  }

  /** `POST /pins`. `isNew` tells a pin this call created from one that existed before it (see `lookup`). */
  add(pin: PinJson, isNew: (status: PinStatusJson) => boolean, signal?: AbortSignal): Promise<PinStatusJson> {
    const lookup = (s: AbortSignal | undefined) => this.findCreated(pin, isNew, s)
    return this.pinStatus({ method: 'POST', path: '/pins', body: pin, signal, lookup })
  }

  /** `POST /pins/{requestid}`: the old pin is removed and the new one added in one step, so shared blocks stay. */
  replace(requestid: string, pin: PinJson, isNew: (status: PinStatusJson) => boolean, signal?: AbortSignal): Promise<PinStatusJson> {
    const lookup = (s: AbortSignal | undefined) => this.findCreated(pin, isNew, s)
    return this.pinStatus({ method: 'POST', path: `/pins/${encodeURIComponent(requestid)}`, body: pin, signal, lookup })
  }

  /** `GET /pins/{requestid}`; undefined when the service does not know it (any more). */
  async get(requestid: string, signal?: AbortSignal): Promise<PinStatusJson | undefined> {
    const spec: RequestSpec = { method: 'GET', path: `/pins/${encodeURIComponent(requestid)}`, signal }
    const answer = await this.send(spec)
    if (answer.status === 404) return undefined
    return this.parse(spec, answer, parsePinStatus)
  }

  /** `DELETE /pins/{requestid}`; false when it was already gone. */
  async remove(requestid: string, signal?: AbortSignal): Promise<boolean> {
    const spec: RequestSpec = { method: 'DELETE', path: `/pins/${encodeURIComponent(requestid)}`, signal }
    const answer = await this.send(spec)
    if (answer.status === 404) return false
    this.check(spec, answer)
    return true
  }

  /** `GET /pins` with filters, every page (newest first, paged with `before`). */
  async list(query: ListQuery, signal?: AbortSignal): Promise<PinStatusJson[]> {
    const limit = query.limit ?? PIN_LIST_PAGE_SIZE
    const seen = new Map<string, PinStatusJson>()
    let before = query.before
    for (;;) {
      const spec: RequestSpec = { method: 'GET', path: `/pins${queryString({ ...query, limit, before })}`, signal }
      const page = this.parse(spec, await this.send(spec), parsePinResults)
      const fresh = page.results.filter((p) => !seen.has(p.requestid))
      for (const p of fresh) seen.set(p.requestid, p)
      if (page.results.length < limit || fresh.length === 0) break
      // The next page is what was created before the oldest of this one.
      const oldest = fresh.reduce((a, b) => (Date.parse(a.created) <= Date.parse(b.created) ? a : b)).created
      if (before !== undefined && Date.parse(oldest) >= Date.parse(before)) break
      before = oldest
    }
    return [...seen.values()].sort((a, b) => Date.parse(b.created) - Date.parse(a.created))
  }

  /** The pin a POST that may or may not have arrived created: same CID and name, and not one we knew before. */
  private async findCreated(pin: PinJson, isNew: (s: PinStatusJson) => boolean, signal: AbortSignal | undefined): Promise<PinStatusJson | undefined> {
    const found = await this.list({ cid: [pin.cid], ...(pin.name === undefined ? {} : { name: pin.name }), status: ['queued', 'pinning', 'pinned', 'failed'] }, signal)
    return found.find(isNew)
  }

  private async pinStatus(spec: RequestSpec): Promise<PinStatusJson> {
    return this.parse(spec, await this.send(spec), parsePinStatus)
  }

  private context(spec: RequestSpec): ErrorContext {
    const { target, endpoint, tokenEnv, token } = this.init
    return { target, endpoint, tokenEnv, token, request: `${spec.method} ${spec.path.split('?')[0]}` }
  }

  private check(spec: RequestSpec, answer: Answer): void {
    if (answer.status >= 200 && answer.status < 300) return
    throw responseError(answer.status, '', answer.body, this.context(spec))
  }

  private parse<T>(spec: RequestSpec, answer: Answer, read: (value: unknown) => T): T {
    this.check(spec, answer)
    try {
      return read(JSON.parse(answer.body))
    } catch (err) {
      const why = err instanceof MalformedResponseError ? err.message : 'the body is not JSON'
      throw scrubbed(new PinError(this.init.target, `${this.init.endpoint} answered ${this.context(spec).request} with something that is not the Pinning Service API: ${why}`, { cause: err }), this.init.token)
    }
  }

  /** One request with retries; the body is read inside each attempt, so a cut body is retried too. */
  private async send(spec: RequestSpec): Promise<Answer> {
    const { endpoint, token } = this.init
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
    if (spec.body !== undefined) headers['content-type'] = 'application/json'
    const init: RequestInit = { method: spec.method, headers, ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }) }
    let attempts = 0
    let answer: Answer | undefined
    const attempt = async (input: string | URL | Request, attemptInit?: RequestInit): Promise<Response> => {
      attempts++
      if (spec.lookup !== undefined && attempts > 1) {
        // The previous POST may have arrived although its answer did not: never pin twice.
        const found = await spec.lookup(attemptInit?.signal ?? undefined)
        if (found !== undefined) {
          answer = { status: 202, body: JSON.stringify(found) }
          return new Response(null, { status: 202 })
        }
      }
      const response = await (this.init.fetch ?? globalThis.fetch)(input, attemptInit)
      answer = { status: response.status, body: await response.text() }
      return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers })
    }
    try {
      await fetchWithRetry(`${endpoint}${spec.path}`, init, {
        ...this.init.retry,
        fetch: attempt,
        timeoutMs: this.init.requestTimeoutMs ?? PIN_REQUEST_TIMEOUT_MS,
        ...(spec.signal === undefined ? {} : { signal: spec.signal }),
        onRetry: (info) => this.init.onRetry?.({ ...info, reason: redact(info.reason, token) }),
      })
    } catch (err) {
      if (err instanceof AbortError || err instanceof PinError) throw scrubbed(err, token)
      const message = `${endpoint} could not be reached for ${this.context(spec).request}: ${describeError(err)}`
      throw scrubbed(new PinServiceUnavailableError(this.init.target, message, { cause: err }), token)
    }
    if (answer === undefined) throw new PinError(this.init.target, `${endpoint} gave no answer to ${this.context(spec).request}`)
    return answer
  }
}
