/**
 * IPNS: a record built and signed with the `ipns` package (V1+V2 signatures, so old and
 * new resolvers both accept it), with a sequence number strictly above the last one this
 * store published for the key, put in the embedded node's local record store, then
 * resolved back, bypassing caches, to check the name really points at the CID. Pushing
 * the record to delegated routing (`PUT /routing/v1/ipns/{name}`) builds on this.
 */
import { ipnsResolver } from '@helia/ipns'
import type { Helia } from '@helia/interface'
import type { PrivateKey } from '@libp2p/interface'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { DEFAULT_IPNS_KEY, IPNS_RECORD_LIFETIME_MS, IPNS_RECORD_TTL_MS } from '../constants.ts'
import { NameError } from '../errors.ts'
import type { NamePublisher, NamePublishOptions, NamePublishResult } from './index.ts'
import { type LocalIpnsRecords, localIpnsRecords } from './ipns-local.ts'
import { ipnsName, type Keystore } from './keys.ts'

export interface IpnsComponents {
  /** The node whose local record store gets the record (and whose resolver checks it). */
  helia: Helia
  keystore: Keystore
}

export interface IpnsInit {
  /**
   * The keystore name of the signing key; created on first use.
   * @default 'site'
   */
  key?: string
  /**
   * How long the record is valid (its EOL), in milliseconds.
   * @default 2592000000 (30 days)
   */
  lifetimeMs?: number
  /**
   * How long resolvers may cache the record, in milliseconds.
   * @default 300000 (5 minutes)
   */
  ttlMs?: number
}

export interface IpnsPublishResult extends NamePublishResult {
  /** The IPNS name: the key's CIDv1 (libp2p-key) in base36. */
  name: string
  /** `/ipfs/<cid>` (CIDv1). */
  value: string
  sequence: bigint
  /** When the record stops being valid, RFC 3339 with nanoseconds. */
  validity: string
  /** The keystore name of the key that signed it. */
  key: string
  /** True when the key was made by this publish: a new name. */
  keyCreated: boolean
}

interface NormalizedIpnsInit {
  key: string
  lifetimeMs: number
  ttlNs: bigint
}

function normalizeIpnsInit(init: IpnsInit): NormalizedIpnsInit {
  const lifetimeMs = init.lifetimeMs ?? IPNS_RECORD_LIFETIME_MS
  const ttlMs = init.ttlMs ?? IPNS_RECORD_TTL_MS
  if (!Number.isInteger(lifetimeMs) || lifetimeMs <= 0) throw new NameError(`ipns: \`lifetimeMs\` must be a positive whole number, got ${lifetimeMs}`)
  if (!Number.isInteger(ttlMs) || ttlMs < 0) throw new NameError(`ipns: \`ttlMs\` must be a whole number of 0 or more, got ${ttlMs}`)
  return { key: init.key ?? DEFAULT_IPNS_KEY, lifetimeMs, ttlNs: BigInt(ttlMs) * 1_000_000n }
}

/** The sequence number of a new record: strictly above every one known to have been published. */
export function nextSequence(...published: Array<bigint | undefined>): bigint {
  // Sequences are uint64, so 0 is the lowest there can be. (Math.max does not take bigints.)
  let highest = 0n
  for (const sequence of published) if (sequence !== undefined && sequence > highest) highest = sequence
  return highest + 1n
}

/** Publishes into the embedded node only: what `ipfs-publish start` serves at `<name>.ipns.localhost`. */
export function createIpnsPublisher(components: IpnsComponents, init: IpnsInit = {}): NamePublisher<IpnsPublishResult> {
  const options = normalizeIpnsInit(init)
  components.keystore.path(options.key) // Throws now on a name the keystore cannot hold.
  const records = localIpnsRecords(components.helia)
  const resolver = ipnsResolver(components.helia)
  return {
    name: 'ipns (local)',
    async publish(cid, publishOptions = {}) {
      const { signal, onProgress } = publishOptions
      const { privateKey, created } = await components.keystore.getOrCreate(options.key, { signal })
      const name = ipnsName(privateKey)
      if (created) onProgress?.({ type: 'name:ipns:key-created', detail: { key: options.key, name } })
      const routingKey = multihashToIPNSRoutingKey(privateKey.publicKey.toMultihash())
      const sequence = nextSequence(await storedSequence(records, routingKey, name, signal))
      const record = await createIPNSRecord(privateKey, cid, sequence, options.lifetimeMs, { v1Compatible: true, ttlNs: options.ttlNs })
      signal?.throwIfAborted()
      await records.put(routingKey, marshalIPNSRecord(record), { signal })
      const published = { key: options.key, name, value: record.value, sequence: sequence.toString(), validity: record.validity }
      onProgress?.({ type: 'name:ipns:published', detail: published })
      await checkResolves(resolver, privateKey, record.value, sequence, publishOptions)
      return { name, value: record.value, sequence, validity: record.validity, key: options.key, keyCreated: created }
    },
  }
}

/** The sequence of the record stored for the key, if any. */
async function storedSequence(records: LocalIpnsRecords, routingKey: Uint8Array, name: string, signal?: AbortSignal): Promise<bigint | undefined> {
  const stored = await records.get(routingKey, { signal })
  if (stored === undefined) return undefined
  try {
    return unmarshalIPNSRecord(stored).sequence
  } catch (err) {
    // Without its sequence, a new record could be older than one already out there.
    throw new NameError(`the IPNS record stored for ${name} in the node's datastore is unreadable, so the next sequence number is unknown`, {
      cause: err,
    })
  }
}

/** Resolves the name afresh (`nocache`: the record is validated, not taken from a cache) and compares. */
async function checkResolves(
  resolver: ReturnType<typeof ipnsResolver>,
  privateKey: PrivateKey,
  value: string,
  sequence: bigint,
  options: NamePublishOptions,
): Promise<void> {
  const name = ipnsName(privateKey)
  let resolved: { value: string; sequence: bigint | undefined } | undefined
  try {
    for await (const result of resolver.resolve(privateKey.publicKey.toMultihash(), { nocache: true, signal: options.signal })) {
      resolved = { value: result.value, sequence: result.record.sequence }
      break
    }
  } catch (err) {
    options.signal?.throwIfAborted()
    throw new NameError(`the IPNS record just published for ${name} does not resolve: ${(err as Error).message}`, { cause: err })
  }
  if (resolved === undefined || resolved.value !== value || resolved.sequence !== sequence) {
    const got = resolved === undefined ? 'nothing' : `${resolved.value} (sequence ${resolved.sequence})`
    throw new NameError(`${name} resolves to ${got}, not to the ${value} (sequence ${sequence}) just published; publish again`)
  }
  options.onProgress?.({ type: 'name:ipns:resolved', detail: { name, value: resolved.value, sequence: sequence.toString() } })
}
