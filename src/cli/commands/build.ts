import { resolve } from 'node:path'
import { EXIT_OK } from '../exit.ts'
import type { Command } from '../command.ts'
import { formatBytes } from '../output.ts'
import { buildProgress, NO_CACHE_OPTION } from './build-display.ts'

export const buildCommand: Command = {
  name: 'build',
  summary: 'render the Markdown blog to a static site (or run build.command)',
  options: {
    site: { type: 'string', value: 'DIR', description: 'the blog folder (posts/, templates/, assets/); default from config, else site/' },
    out: { type: 'string', value: 'DIR', description: 'where to write the site; default from config, else dist/' },
    'dry-run': { type: 'boolean', description: 'render in memory and report, write no site (the render cache is still used)' },
    'no-cache': NO_CACHE_OPTION,
  },
  details: `
The build fails, listing file:line for each problem, on broken internal links, missing
assets, duplicate permalinks and unknown shortcodes. Output is byte-identical for the
same input. With build.command in the config, that command builds the site instead and
build.out names its output folder.

Each post's rendered Markdown and each page are kept in the store's render-cache folder
(.ipfs-publish/render-cache by default), so a rebuild renders only the posts and pages
whose inputs changed; the output is byte for byte what a full render gives. Entries the
build did not use are removed. Turn it off with --no-cache or build.cache: false.`,
  async run({ values, config, output, signal, cwd }) {
    const cfg = await config()
    // Loaded on use so that --help and other commands start without the renderer.
    const { build, renderCacheDir } = await import('../../render/build.ts')
    const onProgress = buildProgress(output)
    const result = await build({
      site: typeof values.site === 'string' ? resolve(cwd, values.site) : cfg.site,
      out: typeof values.out === 'string' ? resolve(cwd, values.out) : cfg.build.out,
      command: cfg.build.command,
      root: cfg.root,
      dryRun: values['dry-run'] === true,
      cacheDir: values['no-cache'] === true ? undefined : renderCacheDir(cfg),
      signal,
      onProgress,
    })
    const where = result.outDir === undefined ? 'in memory (dry run, nothing written)' : `to ${result.outDir}`
    output.result(
      {
        generator: result.generator,
        outDir: result.outDir ?? null,
        files: result.files,
        pages: result.pages,
        posts: result.posts,
        bytes: result.bytes,
        warnings: result.warnings,
        cache: result.cache ?? null,
      },
      [
        `built ${result.pages} pages (${result.posts} posts), ${result.files} files, ${formatBytes(result.bytes)} ${where}`,
        ...(result.warnings.length === 0 ? [] : [`${result.warnings.length} warning(s), shown above`]),
      ],
    )
    return EXIT_OK
  },
}
