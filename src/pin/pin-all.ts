/**
 * Pins one DAG to every target at once. The run is good when every REQUIRED target
 * reports `pinned`; optional targets are reported but never decide it. A target that
 * throws instead of returning a result counts as failed; cancellation ends them all.
 */
import { AbortError, IpfsPublishError } from '../errors.ts'
import type { Pinner, PinOptions, PinRequest, PinResult } from './types.ts'

export interface PinTargetResult extends PinResult {
  required: boolean
}

export interface PinAllResult {
  cid: string
  /** True when every required target is `pinned`. */
  ok: boolean
  /** One per pinner, in the order given. */
  targets: PinTargetResult[]
}

export interface PinAllOptions extends PinOptions {
  /** @default Date.now */
  now?: () => number
}

/** Emits `pin:start` and `pin:done` per target around the pinner's own events. */
export async function pinAll(pinners: readonly Pinner[], request: PinRequest, options: PinAllOptions = {}): Promise<PinAllResult> {
  const now = options.now ?? Date.now
  const cid = request.cid.toString()
  const one = async (pinner: Pinner): Promise<PinTargetResult> => {
    const started = now()
    options.onProgress?.({ type: 'pin:start', detail: { target: pinner.name, cid } })
    let result: PinResult
    try {
      result = await pinner.pin(request, options)
    } catch (err) {
      if (err instanceof AbortError || options.signal?.aborted === true) throw err
      const message = err instanceof Error ? err.message : String(err)
      const code = err instanceof IpfsPublishError ? err.code : 'ERR_PIN'
      result = { target: pinner.name, status: 'failed', error: message, code, timeMs: now() - started }
    }
    const { status, timeMs, error } = result
    options.onProgress?.({ type: 'pin:done', detail: { target: pinner.name, cid, status, timeMs, ...(error === undefined ? {} : { error }) } })
    return { ...result, required: pinner.required }
  }
  const settled = await Promise.allSettled(pinners.map(one))
  const targets: PinTargetResult[] = []
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw outcome.reason
    targets.push(outcome.value)
  }
  return { cid, ok: targets.every((t) => !t.required || t.status === 'pinned'), targets }
}
