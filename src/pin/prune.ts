/**
 * Removes old deploys' pins at each target: production pins beyond the newest `keep`,
 * and previews older than `previewsOlderThanMs`. Never the current site: the newest
 * production pin, the newest one that reached `pinned`, and any pin of a `current` CID
 * (what the site's names point at) are always kept. Only pins carrying our `meta.site`
 * and `meta.kind` are considered: a pin someone else made is never touched.
 */
import { PRUNE_KEEP_DEFAULT, PRUNE_PREVIEW_MAX_AGE_MS } from '../constants.ts'
import { AbortError, IpfsPublishError } from '../errors.ts'
import type { AbortOptions, ProgressOptions } from '../events.ts'
import { normalizeCid } from './pinning-service-api.ts'
import type { Pinner, PruneProgressEvents, RemotePin } from './types.ts'

export interface PruneOptions extends AbortOptions, ProgressOptions<PruneProgressEvents> {
  /** The site whose pins are pruned (`meta.site`). */
  site: string
  /** Production pins to keep per target, newest first; at least 1. @default PRUNE_KEEP_DEFAULT (3) */
  keep?: number
  /** Previews created longer ago than this are removed. @default PRUNE_PREVIEW_MAX_AGE_MS (30 days) */
  previewsOlderThanMs?: number
  /** CIDs the site's names point at: never removed, whatever their age. @default [] */
  current?: string[]
  /** Report what would be removed, remove nothing. @default false */
  dryRun?: boolean
  /** @default () => new Date() */
  now?: () => Date
}

export interface PrunePlan {
  remove: RemotePin[]
  keep: RemotePin[]
}

export interface PruneTargetResult {
  target: string
  /** Removed (with `dryRun`: would be removed), newest first. */
  removed: RemotePin[]
  kept: RemotePin[]
  /** Why listing or a removal failed; `removed` then holds what went before it. */
  error?: string
  code?: string
}

export interface PruneResult {
  site: string
  dryRun: boolean
  /** False when a target could not be listed or a removal failed. */
  ok: boolean
  targets: PruneTargetResult[]
}

/** Which of a target's pins of the site go (pure). */
export function planPrune(pins: RemotePin[], options: Omit<PruneOptions, 'site' | 'signal' | 'onProgress' | 'dryRun'>): PrunePlan {
  const keepCount = Math.max(1, options.keep ?? PRUNE_KEEP_DEFAULT)
  const current = new Set((options.current ?? []).map(normalizeCid))
  const cutoff = (options.now?.() ?? new Date()).getTime() - (options.previewsOlderThanMs ?? PRUNE_PREVIEW_MAX_AGE_MS)
  const newestFirst = [...pins].sort((a, b) => b.created.getTime() - a.created.getTime())
  const production = newestFirst.filter((p) => p.meta.kind === 'production')
  const kept = new Set<RemotePin>(production.slice(0, keepCount))
  const newestPinned = production.find((p) => p.status === 'pinned')
  if (newestPinned !== undefined) kept.add(newestPinned)
  for (const p of newestFirst) {
    if (current.has(normalizeCid(p.cid))) kept.add(p)
    else if (p.meta.kind === 'preview' && p.created.getTime() >= cutoff) kept.add(p)
    else if (p.meta.kind !== 'production' && p.meta.kind !== 'preview') kept.add(p)
  }
  return { remove: newestFirst.filter((p) => !kept.has(p)), keep: newestFirst.filter((p) => kept.has(p)) }
}

async function pruneTarget(pinner: Pinner, options: PruneOptions): Promise<PruneTargetResult> {
  const target = pinner.name
  let plan: PrunePlan = { remove: [], keep: [] }
  const removed: RemotePin[] = []
  try {
    const pins = await pinner.list({ site: options.site }, options)
    options.onProgress?.({ type: 'prune:list', detail: { target, pins: pins.length } })
    plan = planPrune(pins, options)
    const dryRun = options.dryRun === true
    for (const pin of plan.remove) {
      if (!dryRun) await pinner.unpin(pin.requestid, options)
      removed.push(pin)
      options.onProgress?.({ type: 'prune:remove', detail: { target, requestid: pin.requestid, cid: pin.cid, name: pin.name, dryRun } })
    }
    return { target, removed, kept: plan.keep }
  } catch (err) {
    if (err instanceof AbortError || options.signal?.aborted === true) throw err
    const code = err instanceof IpfsPublishError ? err.code : 'ERR_PIN'
    const message = err instanceof Error ? err.message : String(err)
    // The result names the target already.
    const error = message.startsWith(`${target}: `) ? message.slice(target.length + 2) : message
    return { target, removed, kept: plan.keep, error, code }
  }
}

/** Prunes every target at once; one target failing does not stop the others. */
export async function prune(pinners: readonly Pinner[], options: PruneOptions): Promise<PruneResult> {
  const targets = await Promise.all(pinners.map((p) => pruneTarget(p, options)))
  return { site: options.site, dryRun: options.dryRun === true, ok: targets.every((t) => t.error === undefined), targets }
}
