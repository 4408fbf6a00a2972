/**
 * IPNS: records built and signed with the `ipns` package (V1+V2 signatures, so old and new
 * resolvers both accept them), pushed over the Delegated Routing V1 HTTP API to every
 * configured endpoint and into the embedded node's record store (what its gateway serves),
 * then resolved back with caches bypassed. The sequence goes above every verified record
 * any router or the local store holds; `ipns-check.ts` has the rule for racing publishes.
 */
import { ipnsResolver } from '@helia/ipns'
import type { Helia } from '@helia/interface'
import type { PrivateKey } from '@libp2p/interface'
import { multihashToIPNSRoutingKey } from 'ipns'
import type { CID } from 'multiformats/cid'
import { DEFAULT_IPNS_KEY, IPNS_RECORD_LIFETIME_MS, IPNS_RECORD_TTL_MS } from '../constants.ts'
import { KeyNotFoundError, KeystoreError, NameError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import type { RetryPolicy } from '../net/retry.ts'
import type { NamePublisher, NamePublishOptions, NamePublishResult } from './index.ts'
import { localIpnsRecords } from './ipns-local.ts'
import { publishRecord, type PublishContext, type SignedRecord } from './ipns-publish.ts'
import { currentRecord, type NameKeys, readEverywhere } from './ipns-records.ts'
import { ipnsName, type Keystore } from './keys.ts'
import { createIpnsRouter } from './routing.ts'

export { nextSequence } from './ipns-publish.ts'

export interface IpnsComponents {
  /** The node whose local record store gets the record (and whose resolver checks it). */
  helia: Helia
  /** Holds the key by name (created on the first publish). Not used when `privateKey` is given. */
  keystore?: Keystore
  /** The signing key itself, e.g. `keyFromBase64(process.env[name])` in CI. */
  privateKey?: PrivateKey
  /** What router requests go through; tests pass one that interferes. @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface IpnsInit {
  /**
   * The keystore name of the signing key (created on first publish), or the label of
   * `components.privateKey` in results and events.
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
  /**
   * Delegated Routing V1 HTTP API endpoints the record is PUT to and read back from, e.g.
   * `https://delegated-ipfs.dev`. Empty: the embedded node only.
   * @default []
   */
  routers?: string[]
  /**
   * Time allowed for the response headers of each router request.
   * @default 30000
   */
  routerTimeoutMs?: number
  /** Retries of router requests (network errors, 429, 5xx). @default fetchWithRetry's policy */
  retry?: RetryPolicy
}

export interface IpnsPublishResult extends NamePublishResult {
  /** The IPNS name: the key's CIDv1 (libp2p-key) in base36. */
  name: string
  /** `/ipfs/<cid>` (CIDv1). */
  value: string
  /** Always `updated`: every publish signs a new record, which also renews the name's lifetime. */
  status: 'updated'
  sequence: bigint
  /** When the record stops being valid, RFC 3339 with nanoseconds. */
  validity: string
  /** The keystore name (or label) of the key that signed it. */
  key: string
  /** True when the key was made by this publish: a new name. */
  keyCreated: boolean
  /** The routers that serve the record now (all configured ones, or the publish failed). */
  routers: string[]
}

export interface IpnsPublisher extends NamePublisher<IpnsPublishResult> {
  readonly kind: 'ipns'
  /** The value of the valid record with the highest sequence on any router or in the local store; undefined when none (or no key yet). */
  current(options?: AbortOptions): Promise<string | undefined>
  /**
   * Re-signs the name's current value (the valid record with the highest sequence on any
   * router or in the local store) with a fresh lifetime and the next sequence: for a
   * scheduled job, so a site that is not deployed for a month keeps resolving.
   * Throws `NameError` when the name has no valid record anywhere.
   */
  republish(options?: NamePublishOptions): Promise<IpnsPublishResult>
}

function normalizeIpnsInit(init: IpnsInit) {
  const lifetimeMs = init.lifetimeMs ?? IPNS_RECORD_LIFETIME_MS
  const ttlMs = init.ttlMs ?? IPNS_RECORD_TTL_MS
  if (!Number.isInteger(lifetimeMs) || lifetimeMs <= 0) throw new NameError(`ipns: \`lifetimeMs\` must be a positive whole number, got ${lifetimeMs}`)
  if (!Number.isInteger(ttlMs) || ttlMs < 0) throw new NameError(`ipns: \`ttlMs\` must be a whole number of 0 or more, got ${ttlMs}`)
  const timeoutMs = init.routerTimeoutMs
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new NameError(`ipns: \`routerTimeoutMs\` must be more than 0, got ${timeoutMs}`)
  const urls = init.routers ?? []
  return { key: init.key ?? DEFAULT_IPNS_KEY, lifetimeMs, ttlNs: BigInt(ttlMs) * 1_000_000n, urls, timeoutMs }
}

export function createIpnsPublisher(components: IpnsComponents, init: IpnsInit = {}): IpnsPublisher {
  const options = normalizeIpnsInit(init)
  const { keystore, privateKey } = components
  if (privateKey === undefined) {
    if (keystore === undefined) throw new NameError('ipns: give a keystore or a private key to sign with')
    keystore.path(options.key) // Throws now on a name the keystore cannot hold.
  } else if (privateKey.type !== 'Ed25519') {
    throw new KeystoreError(`ipns key '${options.key}': only Ed25519 keys are used for IPNS names, got ${privateKey.type}`)
  }
  const routers = options.urls.map((url) =>
    createIpnsRouter({ fetch: components.fetch }, { ...init.retry, url, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }),
  )
  const duplicate = routers.find((r, i) => routers.findIndex((o) => o.url === r.url) !== i)
  if (duplicate !== undefined) throw new NameError(`ipns: the router ${duplicate.url} is listed twice in \`routers\``)
  const ctx: PublishContext = {
    routers,
    local: localIpnsRecords(components.helia),
    resolver: ipnsResolver(components.helia),
    lifetimeMs: options.lifetimeMs,
    ttlNs: options.ttlNs,
  }

  type LoadedKey = { privateKey: PrivateKey; created: boolean }
  /** For a publish: the key, created in the keystore on first use. */
  async function signingKey(signal?: AbortSignal): Promise<LoadedKey> {
    if (privateKey !== undefined) return { privateKey, created: false }
    return (keystore as Keystore).getOrCreate(options.key, { signal })
  }
  /** For reading and republishing: the key, or undefined when the keystore has none (the name does not exist). */
  async function existingKey(signal?: AbortSignal): Promise<LoadedKey | undefined> {
    if (privateKey !== undefined) return { privateKey, created: false }
    try {
      return { privateKey: await (keystore as Keystore).get(options.key, { signal }), created: false }
    } catch (err) {
      if (err instanceof KeyNotFoundError) return undefined
      throw err
    }
  }

  async function run(
    loaded: LoadedKey,
    value: Parameters<typeof publishRecord>[3],
    publishOptions: NamePublishOptions,
  ): Promise<IpnsPublishResult> {
    const keys = nameKeys(loaded.privateKey)
    if (loaded.created) publishOptions.onProgress?.({ type: 'name:ipns:key-created', detail: { key: options.key, name: keys.name } })
    const signed: SignedRecord = await publishRecord(ctx, loaded.privateKey, keys, value, { ...publishOptions, key: options.key })
    const { sequence, validity, previous } = signed
    const routerUrls = routers.map((r) => r.url)
    return { name: keys.name, value: signed.value, previous, status: 'updated', sequence, validity, key: options.key, keyCreated: loaded.created, routers: routerUrls }
  }

  return {
    kind: 'ipns',
    name: `ipns ${options.key} (${routers.length === 0 ? 'local' : routers.map((r) => r.url).join(', ')})`,
    async current(currentOptions: AbortOptions = {}) {
      const loaded = await existingKey(currentOptions.signal)
      if (loaded === undefined) return undefined
      const seen = await readEverywhere(routers, ctx.local, nameKeys(loaded.privateKey), currentOptions)
      return currentRecord(seen)?.value
    },
    async publish(cid: CID, publishOptions = {}) {
      publishOptions.signal?.throwIfAborted()
      return run(await signingKey(publishOptions.signal), () => `/ipfs/${cid.toV1()}`, publishOptions)
    },
    async republish(publishOptions = {}) {
      const loaded = await existingKey(publishOptions.signal)
      const where = routers.length === 0 ? 'in the local store' : `on ${routers.map((r) => r.url).join(', ')} or in the local store`
      if (loaded === undefined) {
        throw new NameError(`there is no IPNS key named '${options.key}', so there is nothing to republish; publish a CID first or import the key`)
      }
      return run(
        loaded,
        (current) => {
          if (current?.value !== undefined) return current.value
          const name = ipnsName(loaded.privateKey)
          throw new NameError(`${name} has no valid record ${where} (none, or all expired), so there is no value to republish; publish a CID first`)
        },
        publishOptions,
      )
    },
  }
}

function nameKeys(privateKey: PrivateKey): NameKeys {
  return { name: ipnsName(privateKey), routingKey: multihashToIPNSRoutingKey(privateKey.publicKey.toMultihash()) }
}
