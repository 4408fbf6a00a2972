/**
 * The store under Helia, for reads in bulk and presence checks. Every `helia.blockstore.get` goes through
 * Helia's layers (the GC read lock, the network fallback, the identity store) and an
 * async generator; for a CAR of tens of thousands of blocks that costs more than the
 * reads. When the store Helia was given can be read directly (the pack store can, with
 * `readInto` and `getBytes`), bulk responses read it there and use Helia only for blocks
 * it lacks, which Helia may fetch from the network.
 *
 * Packing asks it whether each block is already stored, for the same reason.
 *
 * Skipping the GC lock is safe for reads: a block deleted meanwhile is either read whole
 * or reported missing, as it would be after waiting for the lock.
 */
import type { CID } from 'multiformats/cid'

/** What a store must offer to be read directly (the pack store's API). */
export interface DirectBlockstore {
  /** Synchronous: the index is in memory. */
  has(cid: CID): boolean
  /** The whole block; rejects with a `NotFoundError` when it is not stored. */
  getBytes(cid: CID): Promise<Uint8Array>
  /** The size of a stored block without reading it; throws when it is not stored. */
  blockLength(cid: CID): number
  /** Reads a stored block synchronously into `target` at `offset`. */
  readInto(cid: CID, target: Uint8Array, offset: number): void
}

/** Helia's layers each keep the store they wrap: BlockStorage and NetworkedStorage say so with `unwrap()`, the identity store as `child`. */
interface Layer {
  unwrap?: () => unknown
  child?: unknown
}

/** Helia 7 has three layers over the store it was given; a few more are allowed for. */
const MAX_LAYERS = 8

function isDirect(store: unknown): store is DirectBlockstore {
  const candidate = store as Partial<DirectBlockstore> | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getBytes === 'function' &&
    typeof candidate.blockLength === 'function' &&
    typeof candidate.readInto === 'function' &&
    typeof candidate.has === 'function'
  )
}

/** The directly readable store under `blockstore`'s layers, if there is one. */
export function findDirectStore(blockstore: unknown): DirectBlockstore | undefined {
  let layer: unknown = blockstore
  for (let depth = 0; depth <= MAX_LAYERS && typeof layer === 'object' && layer !== null; depth++) {
    if (isDirect(layer)) return layer
    const { unwrap, child } = layer as Layer
    layer = typeof unwrap === 'function' ? unwrap.call(layer) : child
  }
  return undefined
}
