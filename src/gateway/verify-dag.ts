/**
 * The state of one gateway's check: which blocks arrived intact and what they link to.
 * Block bytes are hashed and dropped, so memory grows with the number of links, never
 * with the size of the site. Blocks may arrive in any order, duplicated or mixed with
 * unrelated ones (the trustless gateway spec allows all three), so completeness is only
 * decided by walking from the root once everything has arrived.
 */
import type { CID } from 'multiformats/cid'
import { blockKey, checkHash, isIdentity, linksOf } from './verify-block.ts'

interface Received {
  links: CID[]
  size: number
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
   */
  async add(cid: CID, bytes: Uint8Array): Promise<AddOutcome> {
    const key = blockKey(cid)
    if (this.rejected.has(key)) return 'bad'
    const hash = await checkHash(cid, bytes)
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
    this.received.set(key, { links: links.links, size: bytes.length })
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
    return undefined
  }

  /** Walks from the root over what has arrived: what the DAG holds, lacks or was refused, and what is extra. */
  state(): DagState {
    const seen = new Set<string>()
    const missing: CID[] = []
    const rejected: Rejected[] = []
    let blocks = 0
    let bytes = 0
    const stack: CID[] = [this.root]
    while (stack.length > 0) {
      const cid = stack.pop()!
      const key = blockKey(cid)
      if (seen.has(key)) continue
      seen.add(key)
      const refused = this.rejected.get(key)
      if (refused !== undefined) {
        // Its links cannot be trusted, so what lies below it is neither missing nor present: unknown.
        rejected.push(refused)
        continue
      }
      const held = this.received.get(key)
      if (held !== undefined) {
        blocks++
        bytes += held.size
      }
      const links = this.linksFrom(cid)
      if (links === undefined) {
        // An identity CID that does not decode is refused only now, by linksFrom.
        const late = this.rejected.get(key)
        if (late === undefined) missing.push(cid)
        else rejected.push(late)
        continue
      }
      // Reversed so the walk visits links in their order, as a DFS CAR would send them.
      for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!)
    }
    let extra = 0
    for (const key of new Set([...this.received.keys(), ...this.rejected.keys()])) if (!seen.has(key)) extra++
    return { blocks, bytes, extra, missing, rejected }
  }
}
