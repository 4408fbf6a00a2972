/**
 * Reads the blocks of a depth-first walk for a CAR response, cheaply and without holding
 * up other requests for long.
 *
 * From a store that can read synchronously (the pack store), a block is read straight
 * from its pack file: right after a pack, or on a server that keeps serving one site,
 * the blocks are in the page cache, and there a thread-pool round trip per block (tens
 * of thousands of them) costs several times the read. The walk gives way to other work
 * every SLICE_MS (setImmediate), and when its synchronous reads turn out slow (a cold
 * disk) it reads asynchronously for a while instead.
 *
 * Asynchronously, a few blocks are read ahead: the walk's stack holds the blocks it
 * sends next, in order, on top, so some of them are read while the current one is sent.
 * Blocks the store lacks are read through Helia, which may fetch them from the network.
 */
import type { CID } from 'multiformats/cid'
import type { DirectBlockstore } from '../node/direct-store.ts'

const IDENTITY = 0x00

/**
 * Work on one walk per turn of the event loop, at most (plus one block). Counted in wall
 * time, not read time: a chunk the kernel takes at once lets the next one be framed in
 * the same turn, so reading, decoding and framing would otherwise run on for as long as
 * the socket buffer has room, while other requests wait.
 */
const SLICE_MS = 1
/**
 * A read slower than this (per block plus per byte) did not come from memory; a slice
 * where most reads were slow is a cold disk, where one slow read alone is the process
 * being descheduled on a busy machine.
 */
const WARM_MS_PER_BLOCK = 0.05
const WARM_MS_PER_BYTE = 1 / (256 * 1024)
/** After a slow slice, this many blocks are read asynchronously before trying again. */
const ASYNC_SPELL_BLOCKS = 1024
/**
 * Blocks the walk must decode (dag-pb nodes: small) are read into shared slabs of this
 * size, fewer buffers to allocate and collect; larger blocks get their own.
 */
const SLAB_BYTES = 64 * 1024
const OWN_BUFFER_BYTES = SLAB_BYTES / 4

export interface WalkReaderInit {
  /** The store under Helia, when it can be read directly. */
  direct: DirectBlockstore | undefined
  /** Reads through Helia: blocks the direct store lacks, or every block without one. */
  read: (cid: CID) => Promise<Uint8Array>
  /** Called with each block read from the direct store (Helia's reads report themselves). */
  onRead?: () => void
  /** Asynchronous reads in flight at most. */
  aheadBlocks: number
  /** Bytes read ahead and not taken yet, at most (a block of unknown size counts once read). */
  aheadBytes: number
}

interface Ahead {
  promise: Promise<Uint8Array>
  /** Bytes counted in `held` for this block. */
  size: number
  taken: boolean
}

export class WalkReader {
  private readonly init: WalkReaderInit
  /** Keyed by the CID objects on the walk's stack: by identity, so no key is computed. */
  private readonly ahead = new Map<CID, Ahead>()
  private inFlight = 0
  private held = 0
  private slab = new ArrayBuffer(0)
  private slabAt = 0
  /** When this turn of the walk started, and its synchronous reads so far. */
  private slice = { started: performance.now(), blocks: 0, slow: 0 }
  /** Blocks left to read asynchronously after a slow slice. */
  private asyncSpell = 0

  constructor(init: WalkReaderInit) {
    this.init = init
  }

  /**
   * Lets other requests run once this turn of the walk is used up; after a turn of mostly
   * slow synchronous reads (a cold disk), reads go asynchronous for a while. Call before
   * each block.
   */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.slice.started < SLICE_MS) return undefined
    if (this.slice.slow * 2 > this.slice.blocks) this.asyncSpell = ASYNC_SPELL_BLOCKS
    return new Promise((resolve) =>
      setImmediate(() => {
        this.slice = { started: performance.now(), blocks: 0, slow: 0 }
        resolve()
      }),
    )
  }

  /** Whether `cid` is to be read synchronously now (with `readInto` or `readNow`), rather than taken. */
  readsNow(cid: CID): boolean {
    const { direct } = this.init
    if (direct === undefined || this.ahead.has(cid) || !direct.has(cid)) return false
    if (this.asyncSpell === 0) return true
    this.asyncSpell--
    return false
  }

  /** The size of a block `readsNow` accepted. */
  length(cid: CID): number {
    return (this.init.direct as DirectBlockstore).blockLength(cid)
  }

  /** Reads a block `readsNow` accepted into `target` at `offset`, timing it for `pause`. */
  readInto(cid: CID, target: Uint8Array, offset: number, length: number): void {
    const started = performance.now()
    ;(this.init.direct as DirectBlockstore).readInto(cid, target, offset)
    const ms = performance.now() - started
    this.slice.blocks++
    if (ms > WARM_MS_PER_BLOCK + length * WARM_MS_PER_BYTE) this.slice.slow++
    this.init.onRead?.()
  }

  /** A block `readsNow` accepted, in a buffer of its own (or a slab's). */
  readNow(cid: CID): Uint8Array {
    const length = this.length(cid)
    const target = this.buffer(length)
    this.readInto(cid, target, 0, length)
    return target
  }

  /**
   * The block `cid`, read asynchronously (or earlier, ahead); `stack` holds what the walk
   * sends next, top first, to read ahead.
   */
  take(cid: CID, stack: readonly CID[]): Promise<Uint8Array> {
    const reading = this.takeAhead(cid)
    this.fill(stack)
    return reading
  }

  /** The walk skips `cid` (sent before): forget what was read ahead for it. */
  drop(cid: CID): void {
    const entry = this.ahead.get(cid)
    if (entry !== undefined) this.release(cid, entry)
  }

  /** A region of the current slab, or a buffer of its own for a large block. */
  private buffer(length: number): Uint8Array {
    if (length > OWN_BUFFER_BYTES) return new Uint8Array(length)
    if (this.slabAt + length > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB_BYTES)
      this.slabAt = 0
    }
    const region = new Uint8Array(this.slab, this.slabAt, length)
    this.slabAt += length
    return region
  }

  private takeAhead(cid: CID): Promise<Uint8Array> {
    const entry = this.ahead.get(cid)
    if (entry === undefined) return this.readLater(cid)
    this.release(cid, entry)
    return entry.promise
  }

  /** Starts reads for the top of `stack`, looking no deeper than twice the reads in flight. */
  private fill(stack: readonly CID[]): void {
    const { aheadBlocks, aheadBytes } = this.init
    const bottom = Math.max(0, stack.length - 2 * aheadBlocks)
    for (let i = stack.length - 1; i >= bottom && this.inFlight < aheadBlocks && this.held < aheadBytes; i--) {
      const cid = stack[i] as CID
      if (cid.multihash.code !== IDENTITY && !this.ahead.has(cid)) this.start(cid)
    }
  }

  private start(cid: CID): void {
    const size = this.sizeOf(cid)
    const entry: Ahead = { promise: this.readLater(cid), size: size ?? 0, taken: false }
    this.inFlight++
    this.held += entry.size
    entry.promise.then(
      (bytes) => {
        this.inFlight--
        if (size === undefined && !entry.taken) {
          entry.size = bytes.byteLength
          this.held += entry.size
        }
      },
      // A failed read is reported to the walk when it takes the block, not here.
      () => this.inFlight--,
    )
    this.ahead.set(cid, entry)
  }

  private release(cid: CID, entry: Ahead): void {
    this.ahead.delete(cid)
    entry.taken = true
    this.held -= entry.size
    entry.size = 0
  }

  private sizeOf(cid: CID): number | undefined {
    const { direct } = this.init
    return direct?.has(cid) ? direct.blockLength(cid) : undefined
  }

  /** An asynchronous read: from the direct store when it has the block, else through Helia. */
  private async readLater(cid: CID): Promise<Uint8Array> {
    const { direct } = this.init
    if (direct?.has(cid)) {
      try {
        const bytes = await direct.getBytes(cid)
        this.init.onRead?.()
        return bytes
      } catch (err) {
        // Deleted meanwhile: let Helia say what it says of a missing block.
        if ((err as Error).name !== 'NotFoundError') throw err
      }
    }
    return this.init.read(cid)
  }
}
