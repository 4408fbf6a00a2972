/**
 * The state of one gateway's check: which blocks arrived intact and what they link to.
 * Block bytes are hashed and dropped, so memory grows with the number of links, never
 * with the size of the site. Blocks may arrive in any order, duplicated or mixed with
 * unrelated ones (the trustless gateway spec allows all three), so completeness is only
 * decided by walking from the root once everything has arrived.
 */
import type { CID } from 'multiformats/cid'
import { blockKey } from './block-key.ts'
import { checkHash, isIdentity, linksOf } from './verify-block.ts'

interface Received {
  links: CID[]
  size: number
  /** The links' keys, once a walk needed them. */
  keys?: string[]
  /** The walk (`state()`) that last reached this block. */
  walked: number
}

export type AddOutcome = 'valid' | 'duplicate' | 'bad' | 'unreadable'

export interface DagState {
  /** DAG blocks reached from the root and received intact. */
  blocks: number
  bytes: number
  /** Intact blocks that are not part of the DAG. */
  extra: number
  /** Reachable blocks not (yet) received, in walk order. */
  missing: CID[]
  /** Reachable blocks that arrived but were refused: bad hash, unknown hash function or codec. */
  rejected: Rejected[]
}

export interface Rejected {
  cid: CID
  /** True when the bytes were checked and are wrong; false when they could not be checked or read. */
  bad: boolean
  reason: string
}

export class DagTracker {
  readonly root: CID
  private readonly received = new Map<string, Received>()
  /** Blocks whose bytes failed their hash, or could not be hashed or decoded; never retried. */
  private readonly rejected = new Map<string, Rejected>()
  /** Bytes and blocks seen so far, for progress; the final figures come from `state()`. */
  seenBlocks = 0
  seenBytes = 0
  private walks = 0
  /** The last `state()`, until a block is added or refused. */
  private last: DagState | undefined

  constructor(root: CID) {
    this.root = root
  }

  has(cid: CID): boolean {
    const key = blockKey(cid)
    return this.received.has(key) || this.rejected.has(key)
  }

  /**
   * Checks a block that a gateway sent and records it. Returns what became of it. Every
   * copy is hashed, duplicates included: one good copy must not cover for a bad one.
   * Nothing is kept of `bytes` (its links are decoded from a copy), so it may be a view
   * into a chunk of the response.
   */
  add(cid: CID, bytes: Uint8Array): AddOutcome {
    const key = blockKey(cid)
    if (this.rejected.has(key)) return 'bad'
    this.last = undefined
    const hash = checkHash(cid, bytes)
    if (!hash.ok) {
      this.rejected.set(key, { cid, bad: !hash.unknownHash, reason: hash.reason })
      return hash.unknownHash ? 'unreadable' : 'bad'
    }
    // The spec forbids identity blocks in a CAR (their bytes are in the CID); one sent anyway is not counted.
    if (this.received.has(key) || isIdentity(cid)) return 'duplicate'
    const links = linksOf(cid, bytes)
    if (!links.ok) {
      this.rejected.set(key, { cid, bad: false, reason: links.reason })
      return 'unreadable'
    }
    this.received.set(key, { links: links.links, size: bytes.length, walked: 0 })
    this.seenBlocks++
    this.seenBytes += bytes.length
    return 'valid'
  }

  /** Links of a block we hold, or of an identity CID (which holds its own bytes and is never sent). */
  linksFrom(cid: CID): CID[] | undefined {
    const held = this.received.get(blockKey(cid))
    if (held !== undefined) return held.links
    if (!isIdentity(cid)) return undefined
    const links = linksOf(cid, cid.multihash.digest)
    if (links.ok) return links.links
    this.rejected.set(blockKey(cid), { cid, bad: false, reason: links.reason })
    this.last = undefined
    return undefined
  }

  /**
   * Walks from the root over what has arrived: what the DAG holds, lacks or was refused,
   * and what is extra. Blocks received are marked as the walk reaches them, so the only
   * set it builds is of the few blocks it did not find.
   */
  state(): DagState {
    if (this.last !== undefined) return this.last
    const walk = ++this.walks
    /** Keys reached that are not received blocks: refused, missing, identity CIDs. */
    const seen = new Set<string>()
    const missing: CID[] = []
    const rejected: Rejected[] = []
    let blocks = 0
    let bytes = 0
    const cids: CID[] = [this.root]
    const keys: string[] = [blockKey(this.root)]
    const push = (links: CID[], linkKeys: string[]): void => {
      // Reversed so the walk visits links in their order, as a DFS CAR would send them.
      for (let i = links.length - 1; i >= 0; i--) {
        cids.push(links[i] as CID)
        keys.push(linkKeys[i] as string)
      }
    }
    for (let cid = cids.pop(), key = keys.pop(); cid !== undefined && key !== undefined; cid = cids.pop(), key = keys.pop()) {
      const held = this.received.get(key)
      if (held?.walked === walk) continue
      const refused = this.rejected.get(key)
      if (held !== undefined && refused === undefined) {
        held.walked = walk
        blocks++
        bytes += held.size
        held.keys ??= held.links.map(blockKey)
        push(held.links, held.keys)
        continue
      }
      if (seen.has(key)) continue
      seen.add(key)
      if (refused !== undefined) {
        // Its links cannot be trusted, so what lies below it is neither missing nor present: unknown.
        if (held !== undefined) held.walked = walk
        rejected.push(refused)
        continue
      }
      const links = this.linksFrom(cid)
      if (links === undefined) {
        // An identity CID that does not decode is refused only now, by linksFrom.
        const late = this.rejected.get(key)
        if (late === undefined) missing.push(cid)
        else rejected.push(late)
        continue
      }
      push(links, links.map(blockKey))
    }
    let extra = 0
    for (const [key, held] of this.received) if (held.walked !== walk && !this.rejected.has(key)) extra++
    for (const key of this.rejected.keys()) if (!seen.has(key)) extra++
    this.last = { blocks, bytes, extra, missing, rejected }
    return this.last
  }
}
