/**
 * Render benchmark: a seeded 20,000-post blog built by ipfs-publish (a full render, no
 * render cache) and, in the same run, by Eleventy 3 through a minimal layout (the same
 * Markdown files). Prints posts/s and peak RSS side by side. Then the render cache: a
 * build that fills it, a rebuild with one post's body edited, and another in memory (as
 * deploy builds). Writes the figures to bench/results/.
 *
 *   node bench/render.ts [--posts N] [--runs N]
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { machine, type Measurement, measure, printTable, writeResults } from './lib/measure.ts'
import { ensureBlogCorpus, withProjectTheme } from './lib/blog-corpus.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { posts: { type: 'string', default: '20000' }, runs: { type: 'string', default: '1' } } })
const POSTS = Number(values.posts)
const RUNS = Number(values.runs)

async function siteBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

async function main(): Promise<void> {
  const CORPUS = await ensureBlogCorpus(POSTS)
  await withProjectTheme(join(CORPUS, 'site'))
  const out = join(CORPUS, 'out')
  const node = process.execPath
  const results: Record<string, Measurement[]> = { 'ipfs-publish': [], eleventy: [] }
  for (let run = 0; run < RUNS; run++) {
    await rm(out, { recursive: true, force: true })
    results['ipfs-publish']!.push(
      await measure('ipfs-publish build', node, [join(ROOT, 'bin', 'ipfs-publish.js'), 'build', '--quiet', '--no-cache', '--site', join(CORPUS, 'site'), '--out', out], {
        cwd: CORPUS,
      }),
    )
    const ours = await siteBytes(out)
    await rm(join(CORPUS, 'eleventy', '_site'), { recursive: true, force: true })
    results.eleventy!.push(
      await measure('eleventy 3', node, [join(ROOT, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs'), '--config=eleventy.config.mjs', '--quiet'], {
        cwd: join(CORPUS, 'eleventy'),
      }),
    )
    console.log(`run ${run + 1}/${RUNS}: ours ${results['ipfs-publish']!.at(-1)!.seconds.toFixed(2)} s (${(ours / 1e6).toFixed(0)} MB written), eleventy ${results.eleventy!.at(-1)!.seconds.toFixed(2)} s`)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const summary = Object.entries(results).map(([name, runs]) => {
    const seconds = median(runs.map((r) => r.seconds))
    const rss = runs.map((r) => r.peakRssMiB).filter((x): x is number => x !== undefined)
    return { name, seconds, postsPerSecond: POSTS / seconds, peakRssMiB: rss.length === 0 ? undefined : Math.max(...rss), runs: runs.map((r) => r.seconds) }
  })
  const eleventy = summary.find((s) => s.name === 'eleventy')!
  console.log(`\nrender benchmark: ${POSTS} posts, median of ${RUNS} run(s), ${machine().node}`)
  printTable(
    ['tool', 'seconds', 'posts/s', 'peak RSS', 'vs eleventy'],
    summary.map((s) => [s.name, s.seconds.toFixed(2), s.postsPerSecond.toFixed(0), s.peakRssMiB === undefined ? 'n/a' : `${s.peakRssMiB.toFixed(0)} MiB`, `${(eleventy.seconds / s.seconds).toFixed(2)}x`]),
  )
  const rebuild = await cachedRebuild(CORPUS)
  console.log(`\nrender cache, ${POSTS} posts:`)
  printTable(
    ['build', 'seconds', 'peak RSS'],
    rebuild.map((r) => [r.name, r.seconds.toFixed(2), r.peakRssMiB === undefined ? 'n/a' : `${r.peakRssMiB.toFixed(0)} MiB`]),
  )
  const cache = rebuild.map(({ name, seconds, peakRssMiB }) => ({ name, seconds, peakRssMiB }))
  const file = await writeResults('render', { benchmark: 'render', posts: POSTS, runs: RUNS, machine: machine(), results: summary, cache })
  console.log(`\nwritten ${file}`)
}

/**
 * A copy of the site (it is edited) with its own store: a build that fills the render
 * cache, then one with a paragraph appended to a post from the middle of the archive.
 */
async function cachedRebuild(corpus: string): Promise<Measurement[]> {
  const work = await mkdtemp(join(tmpdir(), 'ipfs-publish-bench-render-'))
  try {
    await cp(join(corpus, 'site'), join(work, 'site'), { recursive: true })
    await writeFile(join(work, 'package.json'), '{ "name": "bench-render", "private": true, "type": "module" }\n')
    const build = (name: string, ...flags: string[]) =>
      measure(name, process.execPath, [join(ROOT, 'bin', 'ipfs-publish.js'), 'build', '--quiet', '--site', 'site', '--out', 'out', ...flags], { cwd: work })
    const post = join(work, 'site', 'posts', `post-${Math.floor(POSTS / 2)}.md`)
    const edit = async (n: number) => writeFile(post, `${await readFile(post, 'utf8')}\nEdit ${n} after the first build: one more sentence.\n`)
    const cold = await build('cold cache (fills it)')
    await edit(1)
    const warm = await build('one post edited')
    await edit(2)
    // What deploy does: the site rendered in memory, straight into the packer.
    const inMemory = await build('one post edited, --dry-run (as deploy builds)', '--dry-run')
    return [cold, warm, inMemory]
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

await main()
