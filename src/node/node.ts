/**
 * The embedded IPFS node: Helia over an injected blockstore and datastore, with libp2p
 * TCP and Bitswap when online so that peers (a pinning service fetching from its
 * `origins`) can read the blocks, and local pins that garbage collection keeps whole.
 */
import { withBitswap } from '@helia/bitswap'
import type { Helia } from '@helia/interface'
import { type HeliaWithLibp2p, withLibp2pLight } from '@helia/libp2p'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { createHeliaLight } from 'helia'
import type { CID } from 'multiformats/cid'
import { DEFAULT_NODE_LISTEN } from '../constants.ts'
import { AbortError, NodeError } from '../errors.ts'
import type { NodeProgressEvents, ProgressOptions } from '../events.ts'
import { CompleteBlocks } from './complete.ts'
import { collectGarbage, type GcOptions, type GcResult } from './gc.ts'
import { GcLock } from './gc-lock.ts'
import { connectBootstrap, libp2pOptions, type NodeServices, peerOf } from './libp2p.ts'
import { type LocalPin, PinRecords } from './pin-records.ts'
import { LocalPins, type PinOptions } from './pins.ts'
import type { Closable, EmbeddedNode, NodeComponents, NodeInit } from './types.ts'

/** Helia's blockstore lock: held for writing, it keeps block imports out during a collection. */
interface HeliaGcLock {
  lock?: { writeLock(): Promise<() => void> }
}

/** Creates and starts a node over the given stores. */
export async function createNode(components: NodeComponents, init: NodeInit = {}): Promise<EmbeddedNode> {
  const online = init.offline !== true
  const base = createHeliaLight({
    blockstore: components.blockstore,
    datastore: components.datastore,
    // Explicitly empty: nothing asks a public router or gateway for anything.
    routers: [],
    blockBrokers: [],
    ...(components.logger === undefined ? {} : { logger: components.logger }),
  })
  const network = { listen: init.listen ?? [...DEFAULT_NODE_LISTEN], announce: init.announce ?? [] }
  const helia = online ? withBitswap(withLibp2pLight(base, libp2pOptions(components.privateKey, network))) : base
  try {
    init.signal?.throwIfAborted()
    await helia.start()
    if (init.signal?.aborted === true) throw new AbortError('the node was stopped while starting')
  } catch (err) {
    await helia.stop().catch(() => {})
    await closeAll(components.owned ?? [])
    if (err instanceof AbortError || init.signal?.aborted === true) throw err
    throw new NodeError(`the IPFS node did not start: ${(err as Error).message}`, { cause: err })
  }
  const node = new Node(helia, components, online)
  const libp2p = node.libp2p
  if (libp2p !== undefined) {
    init.onProgress?.({
      type: 'node:listening',
      detail: { peerId: libp2p.peerId.toString(), addresses: libp2p.getMultiaddrs().map(String) },
    })
    try {
      await connectBootstrap(libp2p, init.bootstrap ?? [], init)
    } catch (err) {
      await node.stop()
      throw err
    }
  }
  return node
}

async function closeAll(stores: Closable[]): Promise<void> {
  for (const store of stores) await store.close()
}

class Node implements EmbeddedNode {
  readonly helia: Helia
  private readonly components: NodeComponents
  private readonly pins: LocalPins
  private readonly complete: CompleteBlocks
  private readonly lock = new GcLock()
  /** Aborted by stop(), so long pins (fetching from peers) end with it. */
  private readonly running = new AbortController()
  private stopping: Promise<void> | undefined

  constructor(helia: Helia, components: NodeComponents, online: boolean) {
    this.helia = helia
    this.components = components
    this.complete = new CompleteBlocks(helia.datastore)
    this.pins = new LocalPins({
      blocks: helia.blockstore,
      complete: this.complete,
      records: new PinRecords(helia.datastore),
      getCodec: helia.getCodec,
      lock: this.lock,
      now: components.now ?? (() => new Date()),
      online,
    })
  }

  get libp2p(): EmbeddedNode['libp2p'] {
    return 'libp2p' in this.helia ? (this.helia as HeliaWithLibp2p<NodeServices>).libp2p : undefined
  }

  get peerId(): PeerId | undefined {
    return this.libp2p?.peerId
  }

  private network(what: string): NonNullable<EmbeddedNode['libp2p']> {
    const libp2p = this.libp2p
    if (libp2p === undefined) throw new NodeError(`cannot ${what}: the node was started offline`)
    return libp2p
  }

  private signal(options: AbortOptions): AbortSignal {
    return options.signal === undefined ? this.running.signal : AbortSignal.any([options.signal, this.running.signal])
  }

  addresses(): Multiaddr[] {
    return this.network('list its addresses').getMultiaddrs()
  }

  async dial(address: string | Multiaddr, options: AbortOptions & ProgressOptions<NodeProgressEvents> = {}): Promise<PeerId> {
    const libp2p = this.network(`dial ${address}`)
    const target = typeof address === 'string' ? multiaddr(address) : address
    const peer = peerOf(target)
    options.onProgress?.({ type: 'node:dial', detail: { address: target.toString() } })
    try {
      await libp2p.dial(target, { signal: this.signal(options) })
    } catch (err) {
      if (options.signal?.aborted === true) throw err
      throw new NodeError(`could not connect to ${target}: ${(err as Error).message}`, { cause: err })
    }
    return peer
  }

  pin(cid: CID, options: PinOptions = {}): Promise<LocalPin> {
    return this.pins.pin(cid, { ...options, signal: this.signal(options) })
  }

  unpin(target: CID | string, options: AbortOptions = {}): Promise<LocalPin> {
    return this.pins.unpin(target, { signal: this.signal(options) })
  }

  getPin(target: CID | string, options: AbortOptions = {}): Promise<LocalPin> {
    return this.pins.find(target, { signal: this.signal(options) })
  }

  listPins(options: AbortOptions = {}): Promise<LocalPin[]> {
    return this.pins.list({ signal: this.signal(options) })
  }

  async gc(options: GcOptions = {}): Promise<GcResult> {
    const signal = this.signal(options)
    const releasePins = await this.lock.exclusive()
    try {
      const heliaLock = (this.helia.blockstore as HeliaGcLock).lock
      if (heliaLock === undefined) throw new NodeError('garbage collection needs Helia’s blockstore lock, which this Helia lacks')
      const releaseWrites = await heliaLock.writeLock()
      try {
        return await collectGarbage(
          {
            blockstore: this.components.blockstore,
            getCodec: this.helia.getCodec,
            complete: this.complete,
            roots: async (o) => {
              const roots = (await this.pins.list(o)).map((pin) => pin.cid)
              for await (const pin of this.helia.pins.ls(o)) roots.push(pin.cid)
              return roots
            },
          },
          { ...options, signal },
        )
      } finally {
        releaseWrites()
      }
    } finally {
      releasePins()
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown()
    return this.stopping
  }

  private async shutdown(): Promise<void> {
    this.running.abort(new AbortError('the node is stopping'))
    // Waits for pins and collections to unwind, so no store is closed under them.
    const release = await this.lock.exclusive()
    try {
      await this.helia.stop()
    } finally {
      release()
      await closeAll(this.components.owned ?? [])
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop()
  }
}
