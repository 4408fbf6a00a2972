/**
 * What `start` and `deploy` share before packing: the site rendered in memory (or
 * `build.command` run), as a source the packer takes straight into the store.
 */
import type { ResolvedConfig } from './config/index.ts'
import { PackError } from './errors.ts'
import type { AbortOptions, BuildProgressEvents, ProgressOptions } from './events.ts'
import type { PackSource } from './pack/index.ts'
import { build, renderCacheDir } from './render/build.ts'

export interface BuiltSite {
  source: PackSource
  summary: { files: number; pages: number; posts: number; bytes: number }
}

export interface BuildForPackOptions extends AbortOptions, ProgressOptions<BuildProgressEvents> {
  /** `store` holds the render cache (unless `build.cache` is false). */
  config: Pick<ResolvedConfig, 'root' | 'site' | 'build' | 'store'>
}

/** Renders in memory (or runs `build.command`) and returns what to pack. */
export async function buildForPack(options: BuildForPackOptions): Promise<BuiltSite> {
  const { site, root } = options.config
  const { out, command } = options.config.build
  // In memory: the files go straight into the store, and dist/ is left as it was.
  const cacheDir = renderCacheDir(options.config)
  const built = await build({ site, out, command, root, dryRun: true, cacheDir, signal: options.signal, onProgress: options.onProgress })
  const source = built.output ?? built.outDir
  if (source === undefined) throw new PackError('the build produced neither files nor an output folder; check build.command and build.out')
  return { source, summary: { files: built.files, pages: built.pages, posts: built.posts, bytes: built.bytes } }
}
