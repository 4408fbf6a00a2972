/**
 * The name stage: moves a site's names (IPNS, DNSLink) to a CID. One `NamePublisher`
 * interface, one file per kind of name; `deploy` calls them only after the CID was pinned
 * and verified (the safety rule), so a publisher never checks that itself.
 */
import type { CID } from 'multiformats/cid'
import type { AbortOptions, NameProgressEvents, ProgressOptions } from '../events.ts'

export interface NamePublishOptions extends AbortOptions, ProgressOptions<NameProgressEvents> {}

export type NameKind = 'ipns' | 'dnslink'

export interface NamePublishResult {
  /** The name that now points at the value: an IPNS name, or a DNSLink domain. */
  name: string
  /** What it points at, e.g. `/ipfs/bafy...`. */
  value: string
  /** What it pointed at before, when it pointed anywhere. */
  previous?: string | undefined
  /** `unchanged` when the name already pointed at the value (nothing was written). */
  status?: 'updated' | 'unchanged'
}

export interface NamePublisher<R extends NamePublishResult = NamePublishResult> {
  readonly kind?: NameKind
  /** What this publisher is called in messages, e.g. `ipns (local)` or `dnslink blog.example`. */
  readonly name: string
  /**
   * What the name points at now (`/ipfs/<cid>` or `/ipns/<name>`), read from where the
   * name lives (routers, authoritative DNS), or undefined when it has no value yet.
   * `name --dry-run` shows this as the "old" side of each change.
   */
  current?(options?: AbortOptions): Promise<string | undefined>
  /** Points the name at `/ipfs/<cid>` and checks that it resolves there. */
  publish(cid: CID, options?: NamePublishOptions): Promise<R>
}

export { createIpnsPublisher, type IpnsComponents, type IpnsInit, type IpnsPublisher, type IpnsPublishResult, nextSequence } from './ipns.ts'
export { localIpnsRecords, type LocalIpnsRecords } from './ipns-local.ts'
export { createKeystore, ipnsName, type Keystore, type KeystoreEntry, keyFromBase64, keyToBase64, openKeystore } from './keys.ts'
export { createIpnsRouter, type IpnsRouter, type IpnsRouterInit, normalizeRouterUrl } from './routing.ts'
export {
  type CloudflareComponents,
  type CloudflareInit,
  createCloudflareDnslink,
  createDnsimpleDnslink,
  createRfc2136Dnslink,
  type DnsimpleComponents,
  type DnsimpleInit,
  type DnslinkInit,
  type DnslinkPublishResult,
  type Rfc2136Components,
  type Rfc2136Init,
  type TsigAlgorithm,
} from './dnslink/index.ts'
export { createNamePublishers, type NameComponents } from './from-config.ts'
