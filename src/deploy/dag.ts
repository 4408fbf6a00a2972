/**
 * Figures of a packed DAG read back from the store: blocks and their bytes (what reuse is
 * measured against), and the files in it with their sizes (what a CAR does not say).
 * Reading every block also proves the DAG is complete in the store before anything is
 * pinned; a missing block fails with a PackError naming it.
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { type BlockReader, cidKey, walkDag } from '../pack/walk.ts'

export interface DagStats {
  blocks: number
  /** Bytes of every block. */
  dagBytes: number
  /** Files reachable through a directory (a file stored twice under two names counts once). */
  files: number
  /** Their content's size. */
  bytes: number
}

const DIRECTORY_TYPES = new Set(['directory', 'hamt-sharded-directory'])

export async function dagStats(root: CID, blockstore: BlockReader, signal?: AbortSignal): Promise<DagStats> {
  const stats: DagStats = { blocks: 0, dagBytes: 0, files: 0, bytes: 0 }
  // Blocks a directory links to: those that turn out to be files are the site's files.
  const entries = new Set<string>([cidKey(root)])
  for await (const { cid, bytes } of walkDag(root, blockstore, signal)) {
    stats.blocks++
    stats.dagBytes += bytes.byteLength
    const entry = entries.has(cidKey(cid))
    if (cid.code === raw.code) {
      if (entry) {
        stats.files++
        stats.bytes += bytes.byteLength
      }
      continue
    }
    if (cid.code !== dagPb.code) continue
    const node = dagPb.decode(bytes)
    if (node.Data === undefined) continue
    const unixfs = UnixFS.unmarshal(node.Data)
    if (DIRECTORY_TYPES.has(unixfs.type)) {
      for (const link of node.Links) entries.add(cidKey(link.Hash))
    } else if (entry && (unixfs.type === 'file' || unixfs.type === 'raw')) {
      stats.files++
      stats.bytes += Number(unixfs.fileSize())
    }
  }
  return stats
}
