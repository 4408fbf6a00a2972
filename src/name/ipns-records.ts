/**
 * What each place a name lives (every delegated router, the embedded node's store) holds
 * for it, judged by the name itself: a record counts only once its signature verifies
 * against the name's public key. An unsigned or foreign record must not move our sequence
 * (a forged sequence of 2^64-1 would lock the name for good) nor be taken as the name's
 * value. An expired record that verifies still counts for the sequence (it was ours, and
 * resolvers that cached it prefer higher sequences) but is never the current value.
 */
import { ipnsValidator } from 'ipns/validator'
import { unmarshalIPNSRecord } from 'ipns'
import { NameError } from '../errors.ts'
import type { AbortOptions, NameProgressEvents, ProgressOptions } from '../events.ts'
import type { LocalIpnsRecords } from './ipns-local.ts'
import type { IpnsRouter } from './routing.ts'

/** How messages and events name the embedded node's record store among the routers. */
export const LOCAL_SOURCE = 'local store'

export type SeenState = 'none' | 'valid' | 'expired' | 'invalid'

export interface SeenRecord {
  /** A router's base URL, or `local store`. */
  source: string
  state: SeenState
  /** Set for `valid` and `expired`: only a verified record's fields are worth anything. */
  sequence?: bigint
  value?: string
  /** RFC 3339 EOL. */
  validity?: string
  /** Why an `invalid` record was ignored. */
  reason?: string
}

/** The identity of the name being read: its base36 form and its routing key (`/ipns/` + multihash). */
export interface NameKeys {
  name: string
  routingKey: Uint8Array
}

/** Judges one marshaled record against the name it was served for. */
export async function inspectRecord(source: string, keys: NameKeys, bytes: Uint8Array | undefined): Promise<SeenRecord> {
  if (bytes === undefined) return { source, state: 'none' }
  let state: SeenState = 'valid'
  try {
    // Size, key (from the routing key, so a record cannot bring its own), V2 signature, then EOL.
    await ipnsValidator(keys.routingKey, bytes)
  } catch (err) {
    // validate() checks the signature before the EOL, so an expired record was signed by the key.
    if ((err as Error).name !== 'RecordExpiredError') return { source, state: 'invalid', reason: (err as Error).message }
    state = 'expired'
  }
  const record = unmarshalIPNSRecord(bytes)
  return { source, state, sequence: record.sequence, value: record.value, validity: record.validity }
}

/** Every sequence a verified record (expired or not) carries: the next one must be above them all. */
export function verifiedSequences(seen: SeenRecord[]): bigint[] {
  return seen.flatMap((s) => (s.sequence === undefined ? [] : [s.sequence]))
}

/** The record resolvers would pick among the valid ones: highest sequence, then latest EOL (the `ipns` selector's order). */
export function currentRecord(seen: SeenRecord[]): SeenRecord | undefined {
  let best: SeenRecord | undefined
  for (const s of seen) {
    if (s.state !== 'valid' || s.sequence === undefined) continue
    if (best?.sequence === undefined || s.sequence > best.sequence) best = s
    else if (s.sequence === best.sequence && Date.parse(s.validity ?? '') > Date.parse(best.validity ?? '')) best = s
  }
  return best
}

export interface ReadOptions extends AbortOptions, ProgressOptions<NameProgressEvents> {}

/**
 * Reads the name's record from every router (at once) and from the local store. A router
 * that cannot be read fails the whole read: without its sequence, the next one could be
 * below what it holds, and it would keep serving the old value.
 */
export async function readEverywhere(routers: IpnsRouter[], local: LocalIpnsRecords, keys: NameKeys, options: ReadOptions = {}): Promise<SeenRecord[]> {
  const { signal, onProgress } = options
  const fromRouters = routers.map(async (router) => {
    const onRetry = ({ attempt, delayMs, reason }: { attempt: number; delayMs: number; reason: string }): void =>
      onProgress?.({ type: 'name:ipns:retry', detail: { name: keys.name, router: router.url, attempt, delayMs, reason } })
    const seen = await inspectRecord(router.url, keys, await router.get(keys.name, { signal, onRetry }))
    onProgress?.({ type: 'name:ipns:fetched', detail: fetchedDetail(keys.name, seen) })
    return seen
  })
  const fromLocal = readLocal(local, keys, options)
  return [...(await Promise.all(fromRouters)), await fromLocal]
}

async function readLocal(local: LocalIpnsRecords, keys: NameKeys, options: ReadOptions): Promise<SeenRecord> {
  const bytes = await local.get(keys.routingKey, { signal: options.signal })
  if (bytes !== undefined) {
    try {
      unmarshalIPNSRecord(bytes)
    } catch (err) {
      // Our own datastore: when no router is configured its sequence is the only one known.
      throw new NameError(`the IPNS record stored for ${keys.name} in the node's datastore is unreadable, so the next sequence number is unknown`, {
        cause: err,
      })
    }
  }
  const seen = await inspectRecord(LOCAL_SOURCE, keys, bytes)
  if (seen.state === 'invalid') options.onProgress?.({ type: 'name:ipns:fetched', detail: fetchedDetail(keys.name, seen) })
  return seen
}

function fetchedDetail(name: string, seen: SeenRecord): Extract<NameProgressEvents, { type: 'name:ipns:fetched' }>['detail'] {
  return {
    name,
    source: seen.source,
    state: seen.state,
    ...(seen.sequence === undefined ? {} : { sequence: seen.sequence.toString() }),
    ...(seen.value === undefined ? {} : { value: seen.value }),
    ...(seen.reason === undefined ? {} : { reason: seen.reason }),
  }
}

/** `sequence 4 → /ipfs/bafy…`, or what there was instead, for messages. */
export function describeSeen(seen: SeenRecord): string {
  if (seen.state === 'none') return 'no record'
  if (seen.state === 'invalid') return `a record that does not verify against the name (${seen.reason})`
  return `sequence ${seen.sequence} → ${seen.value}${seen.state === 'expired' ? ` (expired ${seen.validity})` : ''}`
}
