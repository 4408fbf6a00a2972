/**
 * Visits every block of one or more DAGs once, a few blocks at a time. Pinning uses it
 * to make sure (fetching if allowed) that a whole DAG is in the store before the pin is
 * recorded; garbage collection uses it to find what the pins reach.
 */
import type { CodecLoader } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import { createUnsafe } from 'multiformats/block'
import type { CID } from 'multiformats/cid'
import { DAG_WALK_CONCURRENCY } from '../constants.ts'

/** The codec of raw leaves: they have no links, so they need not be read to be walked. */
const RAW_CODEC = 0x55
/** An identity multihash carries the block itself; nothing is stored for it. */
const IDENTITY_HASH = 0x00

export interface BlockSource {
  /** Reads (or fetches) a block that may have links. */
  load(cid: CID, options: AbortOptions): Promise<Uint8Array>
  /** Makes sure a raw leaf is there (or does nothing when only links matter). */
  leaf(cid: CID, options: AbortOptions): Promise<void>
}

export interface WalkOptions extends AbortOptions {
  /** @default DAG_WALK_CONCURRENCY (16) */
  concurrency?: number
  /** Called once per distinct block once it has been read, with the count so far. */
  onBlock?: (cid: CID, count: number) => void
  /** Blocks whose whole DAG is known to be there: neither they nor anything below them is visited. */
  skip?: (cid: CID) => boolean
}

/** The CIDs a block links to, decoding it with the node's codecs. */
async function linksOf(cid: CID, source: BlockSource, getCodec: CodecLoader, options: AbortOptions): Promise<CID[]> {
  if (cid.code === RAW_CODEC) {
    if (cid.multihash.code !== IDENTITY_HASH) await source.leaf(cid, options)
    return []
  }
  const bytes = cid.multihash.code === IDENTITY_HASH ? cid.multihash.digest : await source.load(cid, options)
  const codec = await getCodec(cid.code)
  const block = createUnsafe({ bytes, cid, codec })
  return [...block.links()].map(([, link]) => link)
}

/** Walks every DAG under `roots`; resolves when all blocks were visited, rejects on the first failure. */
export function walkDags(roots: CID[], source: BlockSource, getCodec: CodecLoader, options: WalkOptions = {}): Promise<number> {
  const concurrency = options.concurrency ?? DAG_WALK_CONCURRENCY
  const seen = new Set<string>()
  const queue: CID[] = []
  let next = 0
  let active = 0
  let count = 0
  let settled = false

  return new Promise<number>((resolve, reject) => {
    const fail = (err: unknown): void => {
      if (settled) return
      settled = true
      reject(err)
    }
    const enqueue = (cid: CID): void => {
      const key = cid.toV1().toString()
      if (seen.has(key)) return
      seen.add(key)
      if (options.skip?.(cid) === true) return
      queue.push(cid)
    }
    const pump = (): void => {
      if (settled) return
      if (options.signal?.aborted === true) {
        fail(options.signal.reason)
        return
      }
      while (active < concurrency && next < queue.length) {
        const cid = queue[next++] as CID
        active++
        linksOf(cid, source, getCodec, { signal: options.signal }).then((links) => {
          active--
          count++
          options.onBlock?.(cid, count)
          for (const link of links) enqueue(link)
          if (active === 0 && next === queue.length) {
            settled = true
            resolve(count)
          } else {
            pump()
          }
        }, fail)
      }
    }
    for (const root of roots) enqueue(root)
    if (queue.length === 0) resolve(0)
    else pump()
  })
}
