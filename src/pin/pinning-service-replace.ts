/**
 * What a new pin does with the pins of the same name already at a service: reuse, replace
 * or add. Pure, so the safety rule can be tested on its own.
 *
 * The safety rule: the live site (the CID the names point at) stays pinned until a new
 * deploy's names have moved, and a failed deploy never leaves it unpinned. A replace
 * (`POST /pins/{requestid}`) removes the old pin in the same step, so it may only ever
 * target a pin that is NOT live:
 *
 * - the same CID under the same name, not failed → reused (a re-run adds nothing);
 * - otherwise the newest STALE pin of the series (same name, same site and kind) is
 *   replaced: shared blocks stay at the service, and the series does not grow;
 * - stale means: not one of `request.live`; when the live CIDs are not known, only a
 *   pin that never reached `pinned` (failed, or left queued) counts as stale, since any
 *   pinned one could be live;
 * - with no stale pin, the new pin is added beside the others.
 *
 * So a series settles at two pins: the live version and the new one. The deploy that
 * moves the names passes the old live CID as `live`, and the next deploy replaces it
 * once it is no longer live; `prune` removes what piles up when `live` is not known.
 */
import { normalizeCid } from './pinning-service-api.ts'
import type { PinRequest, PinStatus, RemotePin } from './types.ts'

export type PinPlan =
  | { action: 'existing'; pin: RemotePin }
  | { action: 'replace'; pin: RemotePin }
  | { action: 'add' }

/** Failed pins are the first to go, then unfinished ones, then pinned ones that are not live. */
const REPLACE_ORDER: Record<PinStatus, number> = { failed: 0, queued: 1, pinning: 1, pinned: 2 }

export function planPin(series: RemotePin[], request: Pick<PinRequest, 'cid' | 'name' | 'meta' | 'live'>): PinPlan {
  const cid = normalizeCid(request.cid.toString())
  const named = series.filter((p) => p.name === request.name)
  const same = named.find((p) => normalizeCid(p.cid) === cid && p.status !== 'failed')
  if (same !== undefined) return { action: 'existing', pin: same }
  const live = request.live?.map(normalizeCid)
  const stale = named.filter(
    (p) =>
      p.meta.site === request.meta.site &&
      p.meta.kind === request.meta.kind &&
      (live === undefined ? p.status !== 'pinned' : !live.includes(normalizeCid(p.cid))),
  )
  const [pick] = stale.sort((a, b) => REPLACE_ORDER[a.status] - REPLACE_ORDER[b.status] || b.created.getTime() - a.created.getTime())
  return pick === undefined ? { action: 'add' } : { action: 'replace', pin: pick }
}
