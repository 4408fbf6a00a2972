/**
 * The retrieval check: fetches a whole DAG back from each gateway and trusts none of them.
 * Every block is hashed against its CID and the DAG is walked from the root, so a gateway
 * is only `ok` when every block of the site came back intact. A name may only move to a
 * CID that passed here.
 *
 * Per gateway: one trustless CAR request (`?format=car&dag-scope=all`). If the gateway
 * cannot send one (error status, not a CAR, no connection), the DAG is walked with raw
 * block requests instead. If a CAR arrives without some blocks, those are asked for raw,
 * and the result keeps both what the CAR lacked (`carMissing`) and the final state.
 *
 * What counts as ok: every block of the DAG finally obtained and valid, AND the CAR (when
 * one was sent) well-formed with the right root. A CAR that simply ends early is normal
 * for a gateway that gave up on a block (the spec says it may), so raw blocks may complete
 * it; a CAR that breaks mid-block, stalls, names another root or carries a block whose
 * bytes do not match its CID fails the gateway even if the raw requests then succeed.
 */
import type { CID } from 'multiformats/cid'
import { AbortError } from '../errors.ts'
import type { AbortOptions, ProgressOptions, VerifyProgressEvents } from '../events.ts'
import { blockKey } from './block-key.ts'
import { fetchCar } from './verify-car.ts'
import { DagTracker, type DagState } from './verify-dag.ts'
import type { Fetcher } from './verify-http.ts'
import { type NormalizedVerifyOptions, normalizeVerifyOptions, type VerifyOptions } from './verify-options.ts'
import { rawWalk } from './verify-raw.ts'

export type { VerifyOptions } from './verify-options.ts'

export interface GatewayVerifyResult {
  /** The gateway as given (normalized: no trailing slash). */
  url: string
  ok: boolean
  /** `car` when the gateway sent a CAR (possibly completed with raw blocks), `raw` when it was walked block by block. */
  method: 'car' | 'raw'
  /** Blocks of the DAG received and verified (identity CIDs are never sent, so not counted). */
  blocks: number
  /** Their total size in bytes (block data, not CAR framing). */
  bytes: number
  /** Blocks of the DAG never obtained (CIDs). Blocks below a missing one are unknown, so not listed. */
  missing: string[]
  /** Blocks whose bytes do not hash to their CID. */
  bad: string[]
  /** Blocks that arrived but could not be checked: a hash function or codec this tool does not know, or undecodable. */
  unverifiable: string[]
  /** Valid blocks received that are not part of the DAG: ignored, but counted. */
  extra: number
  /** Blocks the CAR lacked before they were asked for raw; present only when it lacked any. */
  carMissing?: string[]
  timeMs: number
  /** Why the gateway failed, in words; absent when ok. */
  error?: string
}

export interface VerifyResult {
  cid: string
  /** True when every gateway is ok. */
  ok: boolean
  gateways: GatewayVerifyResult[]
}

type Emit = (event: VerifyProgressEvents) => void

function listed(label: string, cids: string[]): string {
  const first = cids.slice(0, 3).join(', ')
  return `${cids.length} ${label}${cids.length === 1 ? '' : 's'}${cids.length > 3 ? ` (first: ${first})` : ` (${first})`}`
}

async function checkGateway(cid: CID, gateway: string, options: NormalizedVerifyOptions, emit: Emit): Promise<GatewayVerifyResult> {
  const started = performance.now()
  const tracker = new DagTracker(cid)
  let method: 'car' | 'raw' = 'car'
  const fetcher: Fetcher = {
    gateway,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    retry: {
      ...options.retry,
      fetch: options.fetch,
      onRetry: (info) => emit({ type: 'verify:retry', detail: { gateway, ...info } }),
    },
  }
  const onBlock = (): void =>
    emit({ type: 'verify:progress', detail: { gateway, method, blocks: tracker.seenBlocks, bytes: tracker.seenBytes } })
  const walk = (start: CID[]) =>
    rawWalk(tracker, start, fetcher, { concurrency: options.concurrency, maxBlockBytes: options.maxBlockBytes, onBlock })

  emit({ type: 'verify:start', detail: { gateway, cid: cid.toString() } })
  const problems: string[] = []
  let carMissing: string[] | undefined
  let failures = new Map<string, string>()
  const car = await fetchCar(tracker, fetcher, { maxBlockBytes: options.maxBlockBytes, onBlock })
  if (car.kind === 'unavailable') {
    method = 'raw'
    emit({ type: 'verify:fallback', detail: { gateway, reason: car.reason } })
    failures = (await walk([cid])).failures
  } else {
    problems.push(...car.problems)
    const lacking = tracker.state().missing
    if (lacking.length > 0) {
      carMissing = lacking.map(String)
      failures = (await walk(lacking)).failures
    }
  }

  const state = tracker.state()
  problems.push(...describeState(state, failures, car.kind === 'unavailable' ? car.reason : undefined))
  const result: GatewayVerifyResult = {
    url: gateway,
    ok: problems.length === 0,
    method,
    blocks: state.blocks,
    bytes: state.bytes,
    missing: state.missing.map(String),
    bad: state.rejected.filter((r) => r.bad).map((r) => r.cid.toString()),
    unverifiable: state.rejected.filter((r) => !r.bad).map((r) => r.cid.toString()),
    extra: state.extra,
    ...(carMissing === undefined ? {} : { carMissing }),
    timeMs: Math.round(performance.now() - started),
    ...(problems.length === 0 ? {} : { error: problems.join('; ') }),
  }
  const { url: _url, missing: _m, bad: _b, unverifiable: _u, carMissing: _c, extra: _e, ...summary } = result
  emit({ type: 'verify:done', detail: { gateway, ...summary } })
  return result
}

/** What is wrong with the final state, in words; empty when the DAG is whole and intact. */
function describeState(state: DagState, failures: Map<string, string>, fallbackReason: string | undefined): string[] {
  const problems: string[] = []
  const bad = state.rejected.filter((r) => r.bad).map((r) => r.cid.toString())
  if (bad.length > 0) problems.push(`${listed('block', bad)} ${bad.length === 1 ? 'does' : 'do'} not hash to ${bad.length === 1 ? 'its' : 'their'} CID`)
  for (const { cid, bad: isBad, reason } of state.rejected) if (!isBad) problems.push(`block ${cid}: ${reason}`)
  if (state.missing.length > 0) {
    const missing = state.missing.map(String)
    // The reason of the first failed request usually explains all of them (404, timeout, refused).
    const first = state.missing.map((c) => failures.get(blockKey(c))).find((r) => r !== undefined)
    problems.push(`${listed('block', missing)} missing${first === undefined ? '' : `: ${first}`}`)
    if (fallbackReason !== undefined) problems.push(`raw blocks were tried because the ${fallbackReason}`)
  }
  return problems
}

/**
 * Fetches the DAG under `cid` back from every gateway, concurrently, and checks it whole.
 * A gateway that fails is a result (`ok: false` with the reason), never a throw; throws
 * `VerifyError` for a malformed CID, gateway URL or option, and `AbortError` when `signal` fires.
 */
export async function verify(cid: CID | string, options: VerifyOptions & AbortOptions & ProgressOptions<VerifyProgressEvents>): Promise<VerifyResult> {
  const normalized = normalizeVerifyOptions(cid, options)
  const emit: Emit = (event) => options.onProgress?.(event)
  const settled = await Promise.allSettled(normalized.gateways.map((g) => checkGateway(normalized.cid, g, normalized, emit)))
  if (options.signal?.aborted === true) throw new AbortError('verify was cancelled', { cause: options.signal.reason })
  const gateways = settled.map((s) => {
    if (s.status === 'rejected') throw s.reason
    return s.value
  })
  return { cid: normalized.cid.toString(), ok: gateways.every((g) => g.ok), gateways }
}
