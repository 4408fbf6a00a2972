/**
 * The name stage: moves a site's names (IPNS, DNSLink) to a CID. One `NamePublisher`
 * interface, one file per kind of name; `deploy` calls them only after the CID was pinned
 * and verified (the safety rule), so a publisher never checks that itself.
 */
import type { CID } from 'multiformats/cid'
import type { AbortOptions, NameProgressEvents, ProgressOptions } from '../events.ts'

export interface NamePublishOptions extends AbortOptions, ProgressOptions<NameProgressEvents> {}

export interface NamePublishResult {
  /** The name that now points at the value: an IPNS name, or a DNSLink domain. */
  name: string
  /** What it points at, e.g. `/ipfs/bafy...`. */
  value: string
}

export interface NamePublisher<R extends NamePublishResult = NamePublishResult> {
  /** What this publisher is called in messages, e.g. `ipns (local)`. */
  readonly name: string
  /** Points the name at `/ipfs/<cid>` and checks that it resolves there. */
  publish(cid: CID, options?: NamePublishOptions): Promise<R>
}

export { createIpnsPublisher, type IpnsComponents, type IpnsInit, type IpnsPublishResult, nextSequence } from './ipns.ts'
export { localIpnsRecords, type LocalIpnsRecords } from './ipns-local.ts'
export { createKeystore, ipnsName, type Keystore, type KeystoreEntry, openKeystore } from './keys.ts'
