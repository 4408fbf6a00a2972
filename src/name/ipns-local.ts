/**
 * The embedded node's own IPNS records: the local store of `@helia/ipns` in the node's
 * datastore, which every `ipnsResolver(helia)` (the gateway's among them) reads first. A
 * record put here is served at `/ipns/<name>` with no network at all, and survives
 * restarts with the store.
 */
import { type IPNSRouting, ipns } from '@helia/ipns'
import type { Helia } from '@helia/interface'
import { NameError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'

/** How `@helia/ipns` names its local-store router (`toString()`); it does not export the router itself. */
const LOCAL_STORE_ROUTER = 'LocalStoreRouting()'

export interface LocalIpnsRecords {
  /** The marshaled record stored for a routing key (`/ipns/` + multihash), unvalidated; undefined if none. */
  get(routingKey: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined>
  /** Stores a marshaled record, replacing the one stored for that key. */
  put(routingKey: Uint8Array, record: Uint8Array, options?: AbortOptions): Promise<void>
}

export function localIpnsRecords(helia: Helia): LocalIpnsRecords {
  // Only the local store is written: publishing to the node's other routers (libp2p, and
  // later delegated routing) is a separate, deliberate step.
  const router: IPNSRouting | undefined = ipns(helia).routers.find((r) => String(r) === LOCAL_STORE_ROUTER)
  if (router === undefined) {
    throw new NameError(`@helia/ipns has no router named ${LOCAL_STORE_ROUTER} any more; local IPNS records need updating for this version`)
  }
  return {
    async get(routingKey, options = {}) {
      try {
        return await router.get(routingKey, { signal: options.signal, validate: false })
      } catch (err) {
        if ((err as Error).name === 'NotFoundError') return undefined
        throw err
      }
    },
    async put(routingKey, record, options = {}) {
      await router.put(routingKey, record, { signal: options.signal })
    },
  }
}
