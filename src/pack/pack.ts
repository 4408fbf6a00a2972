import { resolve } from 'node:path'
import { type ImportCandidate, type ImporterOptions, importer } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { PackError } from '../errors.ts'
import { type DirectBlockstore, findDirectStore } from '../node/direct-store.ts'
import type { PackProgressEvents } from '../events.ts'
import type { OutputFile } from '../render/types.ts'
import { writeCar } from './car.ts'
import { rawLeafDagBuilder } from './dag-builder.ts'
import { type NormalizedPackOptions, normalizePackOptions, type PackComponents, type PackOptions } from './options.ts'
import type { CidProfile, CidProfileName } from './profiles.ts'
import { directorySource } from './source-dir.ts'
import { filesSource } from './source-files.ts'
import { bottomUpTreeBuilder } from './tree-builder.ts'
import { multihashKey } from './walk.ts'

/** How often `pack:progress` is emitted while files stream in. */
const PROGRESS_INTERVAL_MS = 200
/**
 * Files imported side by side. Each holds at most one chunk in memory (single-chunk
 * files are read when their turn comes, larger ones a chunk at a time), so this bounds
 * the bytes in flight to 16 chunks plus the store's write buffers. Above a few, more
 * only adds memory: reading and hashing are synchronous, the store writes in the back.
 */
const FILE_IMPORT_CONCURRENCY = 16
const BLOCK_WRITE_CONCURRENCY = 1

export interface PackResult {
  /** The root of the UnixFS DAG: the site's directory. */
  cid: CID
  profile: CidProfileName
  files: number
  /** Total size of the files' contents. */
  bytes: number
  /** Distinct blocks in the DAG. */
  blocks: number
  /** Their total size: the bytes a CAR of the DAG carries, less its framing. */
  dagBytes: number
  /**
   * Every distinct block of the DAG, by multihash key (`multihashKey`) to its size: what a
   * later deploy compares against without reading the DAG back.
   */
  blockSizes: ReadonlyMap<string, number>
  /** Blocks the store did not have before, and their total size: what an upload must send. */
  newBlocks: number
  newBytes: number
  /** The CAR written, when `car` was given. */
  car?: { file: string; bytes: number; blocks: number }
}

export type PackSource = string | Iterable<OutputFile> | AsyncIterable<OutputFile>

/**
 * Packs a directory (a path) or the renderer's files into a UnixFS DAG stored in
 * `options.blockstore`, deterministically for the chosen CID profile.
 */
export async function pack(source: PackSource, options: PackOptions): Promise<PackResult> {
  const opts = normalizePackOptions(options)
  const started = performance.now()
  const tally = { files: 0, bytes: 0, lastProgress: Number.NEGATIVE_INFINITY }
  const emit = (event: PackProgressEvents) => opts.onProgress?.(event)
  const onFile = (path: string, bytes: number) => {
    tally.files++
    tally.bytes += bytes
    emit({ type: 'pack:file', detail: { path, bytes } })
    const now = performance.now()
    if (now - tally.lastProgress >= PROGRESS_INTERVAL_MS) {
      tally.lastProgress = now
      emit({ type: 'pack:progress', detail: { files: tally.files, bytes: tally.bytes, elapsedMs: now - started } })
    }
  }
  const sourceOptions = { hidden: opts.hidden, chunkSize: opts.profile.chunkSize, signal: opts.signal, onFile }
  const candidates =
    typeof source === 'string' ? directorySource(resolve(source), sourceOptions) : filesSource(source, sourceOptions)

  const store = new CountingStore(opts.blockstore, opts.signal)
  const root = await importTree(candidates, store, opts.profile)
  emit({ type: 'pack:progress', detail: { files: tally.files, bytes: tally.bytes, elapsedMs: performance.now() - started } })

  const result: PackResult = {
    cid: root,
    profile: opts.profile.name,
    files: tally.files,
    bytes: tally.bytes,
    blocks: store.seen.size,
    dagBytes: store.dagBytes,
    blockSizes: store.seen,
    newBlocks: store.newBlocks,
    newBytes: store.newBytes,
  }
  if (opts.car !== undefined) result.car = await writeCarFor(root, opts)
  emit({ type: 'pack:done', detail: { cid: root.toString(), files: result.files, bytes: result.bytes, blocks: result.blocks } })
  return result
}

/** The importer's options for a profile: the profile itself, plus what it leaves to defaults. */
export function importerOptions(profile: CidProfile): ImporterOptions {
  return {
    profile: profile.name,
    shardSplitStrategy: profile.shardSplitStrategy,
    shardSplitThresholdBytes: profile.hamtThresholdBytes,
    shardFanoutBits: Math.log2(profile.hamtFanout),
    cidVersion: profile.cidVersion,
    rawLeaves: profile.rawLeaves,
  }
}

async function importTree(
  candidates: Iterable<ImportCandidate> | AsyncIterable<ImportCandidate>,
  store: CountingStore,
  profile: CidProfile,
): Promise<CID> {
  let root: CID | undefined
  const options: ImporterOptions = {
    ...importerOptions(profile),
    // The root is the site's folder, even when everything is inside one subfolder.
    wrapWithDirectory: true,
    fileImportConcurrency: FILE_IMPORT_CONCURRENCY,
    blockWriteConcurrency: BLOCK_WRITE_CONCURRENCY,
  }
  if (profile.rawLeaves) options.dagBuilder = rawLeafDagBuilder(options, profile.chunkSize)
  // Folders bottom-up, so that a folder of subfolders is sized with their real links.
  options.treeBuilder = bottomUpTreeBuilder(importerOptions(profile))
  try {
    for await (const entry of importer(candidates, store, options)) root = entry.cid
  } catch (err) {
    if (err instanceof PackError || (err as Error).name === 'AbortError') throw err
    throw new PackError(`the files could not be packed: ${(err as Error).message}`, { cause: err })
  }
  if (root === undefined) throw new PackError('the importer produced no root')
  return root
}

async function writeCarFor(root: CID, opts: NormalizedPackOptions): Promise<NonNullable<PackResult['car']>> {
  const file = resolve(opts.car as string)
  const stats = await writeCar(root, file, { blockstore: opts.blockstore, signal: opts.signal })
  opts.onProgress?.({ type: 'pack:car', detail: { file, ...stats } })
  return { file, ...stats }
}

/**
 * Puts blocks the store lacks, and counts: distinct blocks of the DAG, and the new ones.
 * Asking `has` first means an unchanged site writes nothing, whatever the store does.
 */
class CountingStore {
  dagBytes = 0
  newBlocks = 0
  newBytes = 0
  /** Each distinct block's size, by multihash key. */
  readonly seen = new Map<string, number>()
  private readonly store: PackComponents['blockstore']
  /** The pack store under Helia's layers, when there is one: asked without a lock per block. */
  private readonly direct: DirectBlockstore | undefined
  private readonly signal: AbortSignal | undefined

  constructor(store: PackComponents['blockstore'], signal: AbortSignal | undefined) {
    this.store = store
    this.direct = findDirectStore(store)
    this.signal = signal
  }

  async put(cid: CID, bytes: Uint8Array): Promise<CID> {
    this.signal?.throwIfAborted()
    const key = multihashKey(cid)
    if (this.seen.has(key)) return cid
    this.seen.set(key, bytes.byteLength)
    this.dagBytes += bytes.byteLength
    if (this.direct !== undefined ? this.direct.has(cid) : await this.store.has(cid, { signal: this.signal })) return cid
    this.newBlocks++
    this.newBytes += bytes.byteLength
    await this.store.put(cid, bytes, { signal: this.signal })
    return cid
  }
}
