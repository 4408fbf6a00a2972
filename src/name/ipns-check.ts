/**
 * After the PUT: every router is asked again (caches bypassed) what it holds for the name,
 * and the embedded node's resolver resolves it afresh. This is where a race with another
 * publisher of the same name is caught.
 *
 * The race rule. The delegated routing API has no compare-and-swap, so two deploys that
 * read the same highest sequence N both sign N+1, and a router keeps one of them (a DHT
 * keeps the "better" record: higher sequence, then later EOL). A publish therefore
 * succeeds only if, right after its PUT, every router serves a verified record that is
 *   - ours (same sequence, same value), or
 *   - a higher sequence with the same value (someone re-published this very CID: no harm);
 * and it fails with `IpnsRaceError` when a router serves a verified record with the same
 * or a higher sequence and another value (the other deploy won there; the name is not
 * ours to claim, and a re-run goes above it). Anything else (no record, a lower sequence,
 * an invalid record) is a router that did not take ours: `NameError`.
 *
 * What no client can see: the other deploy's PUT landing after our read-back. Then both
 * runs report success; the routers keep the later-signed record and resolvers converge on
 * it (equal sequence → later EOL wins), which is a site that was pinned and verified too.
 * Run deploys of one site one at a time (GitHub Actions `concurrency:`) to rule that out.
 */
import type { ipnsResolver } from '@helia/ipns'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { IpnsRaceError, NameError } from '../errors.ts'
import type { AbortOptions, NameProgressEvents, ProgressOptions } from '../events.ts'
import { describeSeen, inspectRecord, type NameKeys, type SeenRecord } from './ipns-records.ts'
import type { IpnsRouter } from './routing.ts'

export interface Published {
  sequence: bigint
  value: string
}

export interface CheckOptions extends AbortOptions, ProgressOptions<NameProgressEvents> {}

type Verdict = { ok: true } | { ok: false; race: boolean; message: string }

/** Applies the race rule to what one router holds after our PUT. */
export function judge(seen: SeenRecord, ours: Published): Verdict {
  const { sequence, value } = seen
  if ((seen.state === 'valid' || seen.state === 'expired') && sequence !== undefined && value !== undefined) {
    if (sequence === ours.sequence && value === ours.value) return { ok: true }
    if (sequence > ours.sequence && value === ours.value) return { ok: true }
    if (sequence >= ours.sequence) {
      const message = `${seen.source} holds ${describeSeen(seen)}, signed by another publish of this name at the same time as ours (sequence ${ours.sequence} → ${ours.value})`
      return { ok: false, race: true, message }
    }
  }
  return { ok: false, race: false, message: `${seen.source} serves ${describeSeen(seen)} instead of the sequence ${ours.sequence} → ${ours.value} just put there` }
}

/** Reads the record back from every router and applies the race rule; throws on the first kind of failure found. */
export async function checkRouters(routers: IpnsRouter[], keys: NameKeys, ours: Published, options: CheckOptions = {}): Promise<void> {
  const { signal, onProgress } = options
  const verdicts = await Promise.all(
    routers.map(async (router) => {
      const onRetry = ({ attempt, delayMs, reason }: { attempt: number; delayMs: number; reason: string }): void =>
        onProgress?.({ type: 'name:ipns:retry', detail: { name: keys.name, router: router.url, attempt, delayMs, reason } })
      const seen = await inspectRecord(router.url, keys, await router.get(keys.name, { signal, onRetry }))
      const verdict = judge(seen, ours)
      if (verdict.ok) {
        onProgress?.({ type: 'name:ipns:checked', detail: { name: keys.name, router: router.url, sequence: ours.sequence.toString(), value: ours.value } })
      }
      return verdict
    }),
  )
  const failures = verdicts.filter((v) => !v.ok)
  const races = failures.filter((v) => v.race)
  if (races.length > 0) {
    throw new IpnsRaceError(
      `${keys.name}: ${races.map((r) => r.message).join('; ')}. The other deploy won the name; nothing is wrong with either site. ` +
        'Run this deploy again to point the name at it (it will publish above the other one), and let only one deploy of a site run at a time.',
    )
  }
  if (failures.length > 0) {
    throw new NameError(`${keys.name}: the record just published did not take: ${failures.map((f) => f.message).join('; ')}. Publish again.`)
  }
}

/** Resolves the name afresh on the embedded node (`nocache`: validated, not taken from a cache) and compares. */
export async function checkLocal(resolver: ReturnType<typeof ipnsResolver>, keys: NameKeys, ours: Published, options: CheckOptions = {}): Promise<void> {
  const { name } = keys
  let resolved: { value: string; sequence: bigint | undefined } | undefined
  try {
    for await (const result of resolver.resolve(CID.parse(name, base36), { nocache: true, signal: options.signal })) {
      resolved = { value: result.value, sequence: result.record.sequence }
      break
    }
  } catch (err) {
    options.signal?.throwIfAborted()
    throw new NameError(`the IPNS record just published for ${name} does not resolve: ${(err as Error).message}`, { cause: err })
  }
  if (resolved === undefined || resolved.value !== ours.value || resolved.sequence !== ours.sequence) {
    const got = resolved === undefined ? 'nothing' : `${resolved.value} (sequence ${resolved.sequence})`
    throw new NameError(`${name} resolves to ${got}, not to the ${ours.value} (sequence ${ours.sequence}) just published; publish again`)
  }
  options.onProgress?.({ type: 'name:ipns:resolved', detail: { name, value: resolved.value, sequence: ours.sequence.toString() } })
}
