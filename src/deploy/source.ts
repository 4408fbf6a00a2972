/**
 * The deploy's first stages: the site as a DAG in the store, either built and packed
 * (blocks the store already has are not written again, so a re-run costs only hashing) or
 * imported from a prebuilt CAR. Then the incremental figures against the previous root:
 * from the two roots' block lists when both are in the store, else by walking both DAGs.
 */
import type { CID } from 'multiformats/cid'
import type { AbortOptions } from '../events.ts'
import type { EmbeddedNode } from '../node/index.ts'
import { diff, pack } from '../pack/index.ts'
import type { BlockReader } from '../pack/walk.ts'
import { buildForPack } from '../site-build.ts'
import { importCar } from './car.ts'
import { pathExists } from '../fs.ts'
import { addedBlocks, type BlockSizes, dagBlocksPath, readDagBlocks, writeDagBlocks } from './dag-blocks.ts'
import type { DeployAllProgressEvents, DeployOptions } from './types.ts'

export interface PackedSite {
  cid: CID
  source: 'build' | 'car'
  files: number
  bytes: number
  blocks: number
  dagBytes: number
  /** Every block with its size, when packed here (a CAR import has none). */
  blockSizes?: BlockSizes
}

type Emit = (event: DeployAllProgressEvents) => void

/** Reads from the store only: a block missing here must fail, not be fetched from a peer. */
export function storeReader(node: EmbeddedNode): BlockReader {
  return { get: (cid, options?: AbortOptions) => node.helia.blockstore.get(cid, { ...options, offline: true }) }
}

export async function packSite(node: EmbeddedNode, options: DeployOptions, emit: Emit): Promise<PackedSite> {
  const { config, signal } = options
  const reader = storeReader(node)
  if (options.car !== undefined) {
    emit({ type: 'deploy:stage', detail: { stage: 'car' } })
    const blockstore = { put: node.helia.blockstore.put.bind(node.helia.blockstore), get: reader.get }
    const imported = await importCar(options.car, { blockstore, signal })
    const { cid, files, bytes, blocks, dagBytes } = imported
    emit({ type: 'deploy:packed', detail: { cid: cid.toString(), source: 'car', files, bytes, blocks } })
    return { cid, source: 'car', files, bytes, blocks, dagBytes }
  }
  emit({ type: 'deploy:stage', detail: { stage: 'build' } })
  const built = await buildForPack({ config, signal, onProgress: emit })
  emit({ type: 'deploy:built', detail: built.summary })
  emit({ type: 'deploy:stage', detail: { stage: 'pack' } })
  // Every block of the DAG went through the store's put (or was already there), so it is
  // whole in the store without reading it back.
  const packed = await pack(built.source, { blockstore: node.helia.blockstore, profile: config.pack.profile, hidden: config.pack.hidden, signal, onProgress: emit })
  const { cid, files, bytes, blocks, dagBytes, blockSizes } = packed
  await writeDagBlocks(config.store, cid, blockSizes)
  emit({ type: 'deploy:packed', detail: { cid: cid.toString(), source: 'build', files, bytes, blocks } })
  return { cid, source: 'build', files, bytes, blocks, dagBytes, blockSizes }
}

/**
 * The version to measure against and build on: what the names point at (the live site),
 * else the last production deploy in the local record, preferring one this store can
 * compare with (its block list, or its root block, is here). The record comes first only
 * when the names say nothing or point at a version this store never had: a record
 * restored from a CI cache may be older than what is live.
 */
export async function previousRoot(candidates: readonly CID[], store: string, node: EmbeddedNode): Promise<CID | undefined> {
  for (const cid of candidates) {
    if ((await pathExists(dagBlocksPath(store, cid))) || (await node.helia.blockstore.has(cid))) return cid
  }
  return candidates[0]
}

export interface Incremental {
  previous: string | undefined
  newBlocks: number
  newBytes: number
  reusedBytes: number
}

/**
 * What the new DAG adds to the previous one. A previous root whose blocks are not in the
 * store (a fresh CI cache, a name set elsewhere) cannot be compared: everything counts as
 * new, with a warning, since that is what an upload would send.
 */
export async function incremental(
  node: EmbeddedNode,
  store: string,
  site: PackedSite,
  previous: CID | undefined,
  emit: Emit,
  signal?: AbortSignal,
): Promise<Incremental> {
  const all = { newBlocks: site.blocks, newBytes: site.dagBytes, reusedBytes: 0 }
  if (previous === undefined) return { previous: undefined, ...all }
  if (previous.equals(site.cid)) return { previous: previous.toString(), newBlocks: 0, newBytes: 0, reusedBytes: site.dagBytes }
  // Both block lists at hand: a set difference, with no block read.
  const before = site.blockSizes === undefined ? undefined : await readDagBlocks(store, previous)
  if (site.blockSizes !== undefined && before !== undefined) {
    const { newBlocks, newBytes } = addedBlocks(before, site.blockSizes)
    return { previous: previous.toString(), newBlocks, newBytes, reusedBytes: site.dagBytes - newBytes }
  }
  try {
    const result = await diff(previous, site.cid, { blockstore: storeReader(node), signal })
    const newBytes = result.newBytes
    return { previous: previous.toString(), newBlocks: result.newBlocks.length, newBytes, reusedBytes: Math.max(0, site.dagBytes - newBytes) }
  } catch (err) {
    if (signal?.aborted === true) throw err
    emit({ type: 'deploy:warning', detail: { message: `the previous version ${previous} is not whole in the store, so every block counts as new (${(err as Error).message})` } })
    return { previous: undefined, ...all }
  }
}
