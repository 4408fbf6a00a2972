/**
 * The embedded node's public shape: what `createNode`/`openNode` take and return.
 */
import type { Helia } from '@helia/interface'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { AbortOptions, ComponentLogger, PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Blockstore } from 'interface-blockstore'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import type { NodeProgressEvents, ProgressOptions } from '../events.ts'
import type { GcOptions, GcResult } from './gc.ts'
import type { NodeServices } from './libp2p.ts'
import type { LocalPin } from './pin-records.ts'
import type { PinOptions } from './pins.ts'

export interface Closable {
  close(): Promise<void>
}

export interface NodeComponents {
  blockstore: Blockstore
  datastore: Datastore
  /** The libp2p identity. Without one the node gets a new PeerID for this run only. */
  privateKey?: PrivateKey
  logger?: ComponentLogger
  /** @default () => new Date() */
  now?: () => Date
  /** Stores the node owns: closed, in this order, after it has stopped. */
  owned?: Closable[]
}

export interface NodeInit extends AbortOptions, ProgressOptions<NodeProgressEvents> {
  /**
   * libp2p addresses to listen on.
   * @default ['/ip4/127.0.0.1/tcp/0']
   */
  listen?: string[]
  /**
   * Addresses announced to peers instead of the listen addresses.
   * @default []
   */
  announce?: string[]
  /**
   * Peers (`.../p2p/<PeerID>`) to connect to at start and keep connected.
   * @default []
   */
  bootstrap?: string[]
  /**
   * No libp2p at all: local reads, pins and garbage collection only (what `pins`, `unpin`
   * and `gc` need, without opening a port).
   * @default false
   */
  offline?: boolean
}

export interface EmbeddedNode {
  /** For the gateway, UnixFS and IPNS. Its blockstore asks connected peers for missing blocks unless offline. */
  readonly helia: Helia
  /** The network side; undefined when the node was started offline. */
  readonly libp2p: HeliaWithLibp2p<NodeServices>['libp2p'] | undefined
  readonly peerId: PeerId | undefined
  /** Where peers can reach this node, each ending in `/p2p/<PeerID>`. */
  addresses(): Multiaddr[]
  /** Connects to a peer, e.g. a pinning service's `delegates`, so Bitswap can serve it. */
  dial(address: string | Multiaddr, options?: AbortOptions & ProgressOptions<NodeProgressEvents>): Promise<PeerId>
  pin(cid: CID, options?: PinOptions): Promise<LocalPin>
  /** Removes the pin of a CID, or the one pin with that name; blocks stay until `gc()`. */
  unpin(target: CID | string, options?: AbortOptions): Promise<LocalPin>
  getPin(target: CID | string, options?: AbortOptions): Promise<LocalPin>
  listPins(options?: AbortOptions): Promise<LocalPin[]>
  /** Deletes every block that no pin reaches. */
  gc(options?: GcOptions): Promise<GcResult>
  /** Aborts pins in progress, closes connections, then the stores. Safe to call twice. */
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}
