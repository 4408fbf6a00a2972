/**
 * The embedded node's pins behind the server's records. Several requests (from one or
 * several accounts) may pin the same DAG, and the node keeps one pin per CID; so the
 * node's pin is removed only when no remaining request wants that DAG, and pinning and
 * releasing one CID never interleave. A local pin the server did not make (the store's
 * owner pinned the site with `ipfs-publish pin`) is never changed or removed by it.
 */
import type { CID } from 'multiformats/cid'
import { PinNotFoundError } from '../../errors.ts'
import type { LocalPin } from '../../node/index.ts'
import type { EmbeddedNode } from '../../node/types.ts'
import { cidKey } from './pin-object.ts'

/** Marks the node pins the server made, so it never unpins someone else's. */
const OWNER = 'pinServer'

export interface NodePinOptions {
  signal: AbortSignal
  /** Called for each block walked (fetched or already present). */
  onBlock?: (blocks: number) => void
}

export class NodePins {
  private readonly node: EmbeddedNode
  /** True while a server record still wants the DAG of that `cidKey`. */
  private readonly needed: (key: string) => boolean
  private readonly locks = new Map<string, Promise<void>>()

  constructor(node: EmbeddedNode, needed: (key: string) => boolean) {
    this.node = node
    this.needed = needed
  }

  /** Fetches the whole DAG (from connected peers, over Bitswap) and pins it, unless the node already keeps it. */
  pin(cid: CID, name: string, options: NodePinOptions): Promise<void> {
    return this.locked(cid, async () => {
      // A pin on the node means every block is there already (the node's pin invariant).
      if ((await this.find(cid, options.signal)) !== undefined) return
      await this.node.pin(cid, {
        name,
        metadata: { [OWNER]: true },
        signal: options.signal,
        onProgress: (event) => {
          if (event.type === 'node:pin:block') options.onBlock?.(event.detail.blocks)
        },
      })
    })
  }

  /** Unpins the DAG on the node when no record wants it any more; its blocks stay until `gc`. */
  release(cid: CID): Promise<void> {
    return this.locked(cid, async () => {
      if (this.needed(cidKey(cid))) return
      const pin = await this.find(cid)
      if (pin?.metadata[OWNER] === true) await this.node.unpin(cid)
    })
  }

  /** Resolves when every pin and release started so far has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.locks.values()])
  }

  private async find(cid: CID, signal?: AbortSignal): Promise<LocalPin | undefined> {
    try {
      return await this.node.getPin(cid, { signal })
    } catch (err) {
      if (err instanceof PinNotFoundError) return undefined
      throw err
    }
  }

  private locked(cid: CID, task: () => Promise<void>): Promise<void> {
    const key = cidKey(cid)
    const next = (this.locks.get(key) ?? Promise.resolve()).catch(() => {}).then(task)
    this.locks.set(key, next)
    const forget = () => {
      if (this.locks.get(key) === next) this.locks.delete(key)
    }
    next.then(forget, forget)
    return next
  }
}
