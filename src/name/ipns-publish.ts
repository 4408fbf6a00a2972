/**
 * One IPNS publish, in the order that keeps the name safe:
 *   1. read what every router and the local store hold (signatures verified);
 *   2. sign a record with a sequence above every verified one (V1+V2, `v1Compatible`);
 *   3. PUT it to every router at once;
 *   4. read it back from every router, caches bypassed, applying the race rule (`ipns-check.ts`);
 *   5. only then store it in the embedded node and resolve it there afresh.
 * A router that cannot be read stops the publish before anything is signed.
 */
import type { ipnsResolver } from '@helia/ipns'
import type { PrivateKey } from '@libp2p/interface'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { IpnsRoutingError } from '../errors.ts'
import type { NameProgressEvents, ProgressOptions, AbortOptions } from '../events.ts'
import { checkLocal, checkRouters } from './ipns-check.ts'
import type { LocalIpnsRecords } from './ipns-local.ts'
import { currentRecord, type NameKeys, readEverywhere, type SeenRecord, verifiedSequences } from './ipns-records.ts'
import type { IpnsRouter } from './routing.ts'

export interface PublishContext {
  routers: IpnsRouter[]
  local: LocalIpnsRecords
  resolver: ReturnType<typeof ipnsResolver>
  lifetimeMs: number
  ttlNs: bigint
}

export interface SignedRecord {
  sequence: bigint
  value: string
  validity: string
  /** The name's value before this publish, when it had a valid one anywhere. */
  previous: string | undefined
}

export interface PublishRecordOptions extends AbortOptions, ProgressOptions<NameProgressEvents> {
  /** The keystore name (or config label) of the key, for events. */
  key: string
}

/** The sequence number of a new record: strictly above every one known to have been published. */
export function nextSequence(...published: Array<bigint | undefined>): bigint {
  // Sequences are uint64, so 0 is the lowest there can be. (Math.max does not take bigints.)
  let highest = 0n
  for (const sequence of published) if (sequence !== undefined && sequence > highest) highest = sequence
  return highest + 1n
}

/**
 * Publishes `value(current)` under the key: the value is chosen once the name's current
 * record is known, so `republish` can re-sign it (and throw when there is none).
 */
export async function publishRecord(
  ctx: PublishContext,
  privateKey: PrivateKey,
  keys: NameKeys,
  value: (current: SeenRecord | undefined) => string,
  options: PublishRecordOptions,
): Promise<SignedRecord> {
  const { signal, onProgress } = options
  const seen = await readEverywhere(ctx.routers, ctx.local, keys, { signal, onProgress })
  const current = currentRecord(seen)
  const target = value(current)
  const sequence = nextSequence(...verifiedSequences(seen))
  const record = await createIPNSRecord(privateKey, target, sequence, ctx.lifetimeMs, { v1Compatible: true, ttlNs: ctx.ttlNs })
  const bytes = marshalIPNSRecord(record)
  signal?.throwIfAborted()

  const ours = { sequence, value: record.value }
  await putToRouters(ctx.routers, keys, bytes, sequence, options)
  await checkRouters(ctx.routers, keys, ours, { signal, onProgress })
  // Only a record every router serves goes into the local store, so a lost race leaves the node's name as it was.
  await ctx.local.put(keys.routingKey, bytes, { signal })
  onProgress?.({
    type: 'name:ipns:published',
    detail: { key: options.key, name: keys.name, value: record.value, sequence: sequence.toString(), validity: record.validity },
  })
  await checkLocal(ctx.resolver, keys, ours, { signal, onProgress })
  return { sequence, value: record.value, validity: record.validity, previous: current?.value }
}

/** PUTs to every router at once; if any refused, says which took the record (they now serve it) and which did not. */
async function putToRouters(routers: IpnsRouter[], keys: NameKeys, bytes: Uint8Array, sequence: bigint, options: PublishRecordOptions): Promise<void> {
  const { signal, onProgress } = options
  const results = await Promise.allSettled(
    routers.map(async (router) => {
      const onRetry = ({ attempt, delayMs, reason }: { attempt: number; delayMs: number; reason: string }): void =>
        onProgress?.({ type: 'name:ipns:retry', detail: { name: keys.name, router: router.url, attempt, delayMs, reason } })
      await router.put(keys.name, bytes, { signal, onRetry })
      onProgress?.({ type: 'name:ipns:put', detail: { name: keys.name, router: router.url, sequence: sequence.toString() } })
    }),
  )
  signal?.throwIfAborted()
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
  if (failed.length === 0) return
  const took = routers.filter((_, i) => results[i]?.status === 'fulfilled').map((r) => r.url)
  const first = failed[0] as Error
  const already = took.length === 0 ? 'no router took it' : `${took.join(', ')} took it and serve it now`
  const message = `${failed.map((e) => e.message).join('; ')}. Sequence ${sequence} for ${keys.name}: ${already}; run the publish again once the router is fixed`
  throw new IpnsRoutingError(message, { router: first instanceof IpnsRoutingError ? first.router : '', cause: first })
}
