import { resolve } from 'node:path'
import { CID_PROFILES, type CidProfileName, type ResolvedConfig } from '../../config/index.ts'
import { PackError, UsageError } from '../../errors.ts'
import type { PackProgressEvents } from '../../events.ts'
import { blockstorePath, openBlockstore } from '../../node/blockstore/index.ts'
import { type PackSource, pack } from '../../pack/index.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'
import { formatBytes, type Output } from '../output.ts'
import { buildProgress, NO_CACHE_OPTION } from './build-display.ts'

export const packCommand: Command = {
  name: 'pack',
  summary: 'pack the site into a UnixFS DAG: root CID, blocks in the local store, optional CAR',
  args: '[DIR]',
  options: {
    profile: { type: 'string', value: 'NAME', description: `CID profile: ${CID_PROFILES.join(' or ')}; default from config, else unixfs-v1-2025` },
    car: { type: 'string', value: 'FILE', description: 'also write the DAG as a CARv1 file (one root, blocks depth-first)' },
    hidden: { type: 'boolean', description: 'include hidden files (dotfiles); .git, .env and .env.* are never packed' },
    'no-cache': NO_CACHE_OPTION,
  },
  details: `
With DIR, packs that folder as it is. Without it, builds the site first (as
'ipfs-publish build' would, in memory, with its render cache) and packs the result. Blocks go to the
project's store (.ipfs-publish/blocks by default); blocks it already has are not
written again. The same files give the same CID on every machine.`,
  async run({ values, positionals, config, output, signal, cwd }) {
    if (positionals.length > 1) throw new UsageError(`pack takes at most one folder, got ${positionals.length}: ${positionals.join(' ')}`)
    const cfg = await config()
    const profile = checkProfile(values.profile, cfg.pack.profile)
    const dir = positionals[0]
    const source: PackSource = dir === undefined ? await buildSite(cfg, values['no-cache'] === true, output, signal) : resolve(cwd, dir)
    const started = performance.now()
    const onProgress = (event: PackProgressEvents): void => {
      if (event.type === 'pack:progress') {
        const { files, bytes, elapsedMs } = event.detail
        const rate = elapsedMs > 0 ? (bytes / 1e6 / (elapsedMs / 1000)).toFixed(1) : '-'
        output.progress(`packing: ${files} files, ${formatBytes(bytes)}, ${rate} MB/s`)
      } else if (event.type === 'pack:car') {
        output.info(`wrote ${event.detail.file} (${formatBytes(event.detail.bytes)}, ${event.detail.blocks} blocks)`)
      }
    }
    const store = await openBlockstore({ path: blockstorePath(cfg.store) })
    let result: Awaited<ReturnType<typeof pack>>
    try {
      if (store.recovery.truncated.length > 0 || store.recovery.fullScan) {
        output.warn(`the block store was not closed cleanly; repaired it (${store.recovery.replayed} blocks re-checked)`)
      }
      const car = typeof values.car === 'string' ? resolve(cwd, values.car) : undefined
      result = await pack(source, { blockstore: store, profile, hidden: values.hidden === true || cfg.pack.hidden, car, signal, onProgress })
    } finally {
      await store.close()
    }
    const seconds = (performance.now() - started) / 1000
    output.result(
      {
        cid: result.cid.toString(),
        profile: result.profile,
        files: result.files,
        bytes: result.bytes,
        blocks: result.blocks,
        newBlocks: result.newBlocks,
        newBytes: result.newBytes,
        ...(result.car === undefined ? {} : { car: result.car.file }),
      },
      [
        `packed ${result.files} files (${formatBytes(result.bytes)}) in ${seconds.toFixed(1)} s: ${result.blocks} blocks, ${result.newBlocks} new (${formatBytes(result.newBytes)})`,
        `root CID (${result.profile}): ${result.cid}`,
      ],
    )
    return EXIT_OK
  },
}

function checkProfile(value: unknown, fallback: CidProfileName): CidProfileName {
  if (value === undefined) return fallback
  if (typeof value === 'string' && (CID_PROFILES as readonly string[]).includes(value)) return value as CidProfileName
  throw new UsageError(`--profile must be one of ${CID_PROFILES.join(', ')}, got '${String(value)}'`)
}

/** Renders the site in memory (or runs build.command) and returns what to pack. */
async function buildSite(cfg: ResolvedConfig, noCache: boolean, output: Output, signal: AbortSignal): Promise<PackSource> {
  // Loaded only when needed, so packing a folder does not depend on the renderer.
  const { build, renderCacheDir } = await import('../../render/build.ts')
  const onProgress = buildProgress(output)
  const cacheDir = noCache ? undefined : renderCacheDir(cfg)
  const built = await build({ site: cfg.site, out: cfg.build.out, command: cfg.build.command, root: cfg.root, dryRun: true, cacheDir, signal, onProgress })
  const source = built.output ?? built.outDir
  if (source === undefined) throw new PackError('the build produced neither files nor an output folder; check build.command and build.out')
  return source
}
