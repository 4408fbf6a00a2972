/**
 * Waiting for a pinning service to fetch the DAG: status checks with backoff until
 * `pinned` or `failed` or the target's timeout, while our node connects to the service's
 * `delegates` so the transfer starts without the service having to find us. The caller
 * keeps the node (our `origins`) serving blocks until this returns.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { PIN_DELEGATE_DIAL_TIMEOUT_MS, PIN_POLL_GROWTH, PIN_POLL_MAX_INTERVAL_MS, PIN_POLL_MIN_INTERVAL_MS } from '../constants.ts'
import { AbortError, PinError, PinServiceUnavailableError, PinTimeoutError } from '../errors.ts'
import { describeError } from '../net/retry.ts'
import type { PinStatusJson } from './pinning-service-api.ts'
import type { PinningServiceClient } from './pinning-service-client.ts'
import type { PinOptions } from './types.ts'

/** Connects our node to a peer; resolves once connected. */
export type Dial = (address: string, options: { signal: AbortSignal }) => Promise<unknown>

export interface WaitInit {
  target: string
  timeoutMs: number
  /** @default PIN_POLL_MIN_INTERVAL_MS */
  pollMinMs?: number
  /** @default PIN_POLL_MAX_INTERVAL_MS */
  pollMaxMs?: number
  /** @default PIN_DELEGATE_DIAL_TIMEOUT_MS */
  dialTimeoutMs?: number
  /** Without it (no online node) the delegates are not dialled. */
  dial?: Dial
}

const settled = (s: PinStatusJson): boolean => s.status === 'pinned' || s.status === 'failed'

/** Polls until the pin is settled; throws `PinTimeoutError` when the target's time is up. */
export async function waitForPin(client: PinningServiceClient, first: PinStatusJson, init: WaitInit, options: PinOptions = {}): Promise<PinStatusJson> {
  const { target } = init
  const cid = first.pin.cid
  const deadline = AbortSignal.timeout(init.timeoutMs)
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline])
  const dials = new DelegateDialer(init, options)
  let current = first
  let unavailable: PinServiceUnavailableError | undefined
  let delay = init.pollMinMs ?? PIN_POLL_MIN_INTERVAL_MS
  const report = (s: PinStatusJson): void =>
    options.onProgress?.({ type: 'pin:status', detail: { target, cid, status: s.status, requestid: s.requestid } })
  report(current)
  try {
    while (!settled(current)) {
      dials.dialAll(current.delegates)
      await sleep(delay, undefined, { signal })
      delay = Math.min(delay * PIN_POLL_GROWTH, init.pollMaxMs ?? PIN_POLL_MAX_INTERVAL_MS)
      let next: PinStatusJson | undefined
      try {
        next = await client.get(current.requestid, signal)
        unavailable = undefined
      } catch (err) {
        // The pin goes on at the service while it is briefly unreachable: ask again until the deadline.
        if (!(err instanceof PinServiceUnavailableError)) throw err
        unavailable = err
        continue
      }
      if (next === undefined) {
        throw new PinError(target, `the pin request ${current.requestid} disappeared from the service while ${current.status}: was it removed by someone else?`)
      }
      if (next.status !== current.status) report(next)
      current = next
    }
    return current
  } catch (err) {
    if (options.signal?.aborted === true) throw new AbortError('pinning was cancelled', { cause: options.signal.reason })
    if (deadline.aborted) {
      if (unavailable !== undefined) throw unavailable
      throw new PinTimeoutError(
        target,
        `still ${current.status} after ${formatMs(init.timeoutMs)} (request ${current.requestid}): the service could not fetch the DAG from this node; ` +
          'check that `node.announce` gives an address the service can reach, or raise the target’s `timeout`. The request stays at the service, and a re-run picks it up',
        { cause: err },
      )
    }
    throw err
  } finally {
    await dials.stop()
  }
}

/** Dials each delegate once, best effort, reporting every outcome; stopped when the wait ends. */
class DelegateDialer {
  private readonly tried = new Set<string>()
  private readonly pending: Promise<void>[] = []
  private readonly controller = new AbortController()
  private readonly init: WaitInit
  private readonly options: PinOptions

  constructor(init: WaitInit, options: PinOptions) {
    this.init = init
    this.options = options
  }

  dialAll(addresses: string[]): void {
    const dial = this.init.dial
    if (dial === undefined) return
    for (const address of addresses) {
      if (this.tried.has(address)) continue
      this.tried.add(address)
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.dialTimeoutMs ?? PIN_DELEGATE_DIAL_TIMEOUT_MS)])
      const report = (ok: boolean, error?: string): void => {
        if (this.controller.signal.aborted) return
        this.options.onProgress?.({ type: 'pin:delegate', detail: { target: this.init.target, address, ok, ...(error === undefined ? {} : { error }) } })
      }
      this.pending.push(
        dial(address, { signal }).then(
          () => report(true),
          (err: unknown) => report(false, describeError(err)),
        ),
      )
    }
  }

  async stop(): Promise<void> {
    this.controller.abort()
    await Promise.allSettled(this.pending)
  }
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  if (ms % 1000 === 0) return `${ms / 1000} s`
  return `${ms} ms`
}
