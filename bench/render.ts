/**
 * Render benchmark: a seeded 20,000-post blog built by ipfs-publish and, in the same run,
 * by Eleventy 3 through a minimal layout (the same Markdown files). Prints posts/s and
 * peak RSS side by side and writes the figures to bench/results/.
 *
 *   node bench/render.ts [--posts N] [--runs N]
 */
import { readdir, rm, stat } from 'node:fs/promises'
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
      await measure('ipfs-publish build', node, [join(ROOT, 'bin', 'ipfs-publish.js'), 'build', '--quiet', '--site', join(CORPUS, 'site'), '--out', out], { cwd: CORPUS }),
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
  const file = await writeResults('render', { benchmark: 'render', posts: POSTS, runs: RUNS, machine: machine(), results: summary })
  console.log(`\nwritten ${file}`)
}

await main()
