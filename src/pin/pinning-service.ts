/**
 * The `pinning-service` target: any IPFS Pinning Service API v1.0.0 endpoint (Pinata,
 * Filebase, IPFS Cluster, `ipfs-publish pin-server`). The service fetches the DAG from
 * our node's `origins`; the caller keeps that node up until `pin()` returns.
 * What a new pin does with earlier ones of the same name: pinning-service-replace.ts.
 */
import { PIN_MAX_ORIGINS, PIN_TIMEOUT_MS } from '../constants.ts'
import { AbortError, IpfsPublishError, PinError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import type { RetryPolicy } from '../net/retry.ts'
import { metaJson, PIN_STATUSES, type PinJson, type PinStatusJson, toRemotePin } from './pinning-service-api.ts'
import { PinningServiceClient } from './pinning-service-client.ts'
import { redact } from './pinning-service-errors.ts'
import { planPin } from './pinning-service-replace.ts'
import { type Dial, waitForPin } from './pinning-service-wait.ts'
import type { Pinner, PinKind, PinOptions, PinRequest, PinResult, RemotePin } from './types.ts'

export interface PinningServiceComponents {
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** Connects the embedded node to the service's `delegates`; without it they are not dialled. */
  dial?: Dial
  /** @default Date.now */
  now?: () => number
}

export interface PinningServiceInit {
  /** The target's name from the config. */
  name: string
  /** @default true */
  required?: boolean
  /** The API's base URL, without `/pins`. */
  endpoint: string
  /** The access token. Undefined when its variable is not set: every call then fails saying so. */
  token: string | undefined
  /** The environment variable the token comes from, named in messages (never the token). */
  tokenEnv: string
  /** @default PIN_TIMEOUT_MS (10 min) */
  timeoutMs?: number
  /** Per request attempt. @default PIN_REQUEST_TIMEOUT_MS (30 s) */
  requestTimeoutMs?: number
  retry?: RetryPolicy
  /** Status checks start this far apart and grow by PIN_POLL_GROWTH (1.5x). @default PIN_POLL_MIN_INTERVAL_MS (250 ms) */
  pollMinMs?: number
  /** @default PIN_POLL_MAX_INTERVAL_MS (30 s) */
  pollMaxMs?: number
  /** @default PIN_DELEGATE_DIAL_TIMEOUT_MS (30 s) */
  dialTimeoutMs?: number
}

export function createPinningServicePinner(components: PinningServiceComponents, init: PinningServiceInit): Pinner {
  return new PinningServicePinner(components, init)
}

class PinningServicePinner implements Pinner {
  readonly name: string
  readonly required: boolean
  private readonly components: PinningServiceComponents
  private readonly init: PinningServiceInit

  constructor(components: PinningServiceComponents, init: PinningServiceInit) {
    this.name = init.name
    this.required = init.required ?? true
    this.components = components
    this.init = init
  }

  private client(options: PinOptions = {}): PinningServiceClient {
    const { endpoint, token, tokenEnv, requestTimeoutMs, retry } = this.init
    if (token === undefined || token === '') {
      throw new PinError(this.name, `the environment variable ${tokenEnv} is not set: export the access token for ${endpoint} in it`)
    }
    return new PinningServiceClient({
      target: this.name,
      endpoint,
      token,
      tokenEnv,
      ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
      ...(retry === undefined ? {} : { retry }),
      ...(this.components.fetch === undefined ? {} : { fetch: this.components.fetch }),
      onRetry: (info) =>
        options.onProgress?.({ type: 'pin:retry', detail: { target: this.name, attempt: info.attempt, delayMs: info.delayMs, reason: info.reason } }),
    })
  }

  async pin(request: PinRequest, options: PinOptions = {}): Promise<PinResult> {
    const now = this.components.now ?? Date.now
    const started = now()
    const cid = request.cid.toString()
    const result = (fields: Omit<PinResult, 'target' | 'timeMs'>): PinResult => ({ target: this.name, timeMs: now() - started, ...fields })
    try {
      const client = this.client(options)
      // Every pin of this name, whatever its status: the re-run check, the replace candidates,
      // and the request ids that existed before, so a pin found after a lost answer is ours.
      const series = await client.list({ name: request.name, status: PIN_STATUSES }, options.signal)
      const known = new Set(series.map((p) => p.requestid))
      const isNew = (s: PinStatusJson): boolean => !known.has(s.requestid)
      const plan = planPin(series.map(toRemotePin), request)
      const pin: PinJson = { cid, name: request.name, origins: request.origins.slice(0, PIN_MAX_ORIGINS), meta: metaJson(request.meta) }
      let status: PinStatusJson | undefined
      let replaced: string | undefined
      if (plan.action === 'existing') {
        options.onProgress?.({ type: 'pin:existing', detail: { target: this.name, cid, requestid: plan.pin.requestid } })
        status = series.find((s) => s.requestid === plan.pin.requestid)
      } else if (plan.action === 'replace') {
        const { requestid, cid: replacedCid } = plan.pin
        options.onProgress?.({ type: 'pin:replace', detail: { target: this.name, cid, replaces: requestid, replacedCid } })
        status = await client.replace(requestid, pin, isNew, options.signal).catch(async (err: unknown) => {
          // Gone since we listed it (pruned, or replaced by a concurrent run): add instead.
          if (err instanceof PinError && (await client.get(requestid, options.signal)) === undefined) return undefined
          throw err
        })
        if (status !== undefined) replaced = requestid
      }
      status ??= await client.add(pin, isNew, options.signal)
      const final = await waitForPin(client, status, this.waitInit(), options)
      const fields = { requestid: final.requestid, ...(replaced === undefined ? {} : { replaced }), ...(plan.action === 'existing' ? { existing: true } : {}) }
      if (final.status === 'pinned') return result({ status: 'pinned', ...fields })
      const why = final.info?.status_details ?? final.info?.error ?? 'it gave no reason'
      return result({ status: 'failed', ...fields, code: 'ERR_PIN_FAILED', error: this.clean(`the service could not pin ${cid}: ${why}`) })
    } catch (err) {
      if (err instanceof AbortError || options.signal?.aborted === true) throw err
      const code = err instanceof IpfsPublishError ? err.code : 'ERR_PIN'
      return result({ status: 'failed', code, error: this.clean(err instanceof Error ? err.message : String(err)) })
    }
  }

  async list(filter: { site: string; kind?: PinKind }, options: AbortOptions = {}): Promise<RemotePin[]> {
    // Filtered by `meta` on our side: not every service implements the `meta` filter (the
    // spec authors' mock answers 500 to it). A production pin's name is the site, so that
    // list is narrowed by name at the service.
    const name = filter.kind === 'production' ? { name: filter.site } : {}
    const pins = await this.client().list({ ...name, status: PIN_STATUSES }, options.signal)
    return pins
      .map(toRemotePin)
      .filter((p) => p.meta.site === filter.site && (filter.kind === undefined ? p.meta.kind !== undefined : p.meta.kind === filter.kind))
  }

  async unpin(requestid: string, options: AbortOptions = {}): Promise<void> {
    await this.client().remove(requestid, options.signal)
  }

  private waitInit() {
    const { pollMinMs, pollMaxMs, dialTimeoutMs } = this.init
    return {
      target: this.name,
      timeoutMs: this.init.timeoutMs ?? PIN_TIMEOUT_MS,
      ...(pollMinMs === undefined ? {} : { pollMinMs }),
      ...(pollMaxMs === undefined ? {} : { pollMaxMs }),
      ...(dialTimeoutMs === undefined ? {} : { dialTimeoutMs }),
      ...(this.components.dial === undefined ? {} : { dial: this.components.dial }),
    }
  }

  /** The message without the `<target>: ` prefix (the result names the target) and without the token. */
  private clean(message: string): string {
    const text = message.startsWith(`${this.name}: `) ? message.slice(this.name.length + 2) : message
    return this.init.token === undefined ? text : redact(text, this.init.token)
  }
}
