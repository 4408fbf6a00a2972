/**
 * Render benchmark: a seeded 20,000-post blog built by ipfs-publish and, in the same run,
 * by Eleventy 3 through a minimal layout (the same Markdown files). Prints posts/s and
 * peak RSS side by side and writes the figures to bench/results/.
 *
 *   node bench/render.ts [--posts N] [--runs N]
 */
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { machine, type Measurement, measure, printTable, writeResults } from './lib/measure.ts'
import { between, pick, seededRandom } from './lib/random.ts'
import { pathExists } from '../src/fs.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { posts: { type: 'string', default: '20000' }, runs: { type: 'string', default: '1' } } })
const POSTS = Number(values.posts)
const RUNS = Number(values.runs)
const IMAGES = 200
const CORPUS = join(ROOT, 'bench', 'corpus', `render-${POSTS}`)

const WORDS = (
  'content address block pin gateway node peer route record publish site page link asset build pack verify ' +
  'name domain record hash chunk leaf tree root directory shard store cache fetch serve deploy preview branch ' +
  'commit job token secret service target retry backoff timeout signal progress event error message reader ' +
  'writer stream buffer byte file path folder template layout feed sitemap header image table code the a of ' +
  'to and in is it that for on with as by this be are from at or an was which not can all will one'
).split(' ')
const TAGS = Array.from({ length: 50 }, (_, i) => `topic-${i}`)

function sentence(random: () => number): string {
  const words = Array.from({ length: between(random, 8, 20) }, () => pick(random, WORDS))
  const text = words.join(' ')
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`
}

function paragraph(random: () => number): string {
  return Array.from({ length: between(random, 3, 7) }, () => sentence(random)).join(' ')
}

function post(i: number, random: () => number): string {
  const day = new Date(Date.UTC(2016, 0, 1) + i * 3 * 3_600_000).toISOString().slice(0, 10)
  const tags = [...new Set(Array.from({ length: between(random, 1, 4) }, () => pick(random, TAGS)))]
  const image = `img-${between(random, 0, IMAGES - 1)}.svg`
  const parts = [
    '---',
    `title: "Post ${i}: ${sentence(random).slice(0, 40).replace(/\.$/, '')}"`,
    `description: "${sentence(random)}"`,
    `date: ${day}`,
    `author: Author ${i % 17}`,
    `tags: [${tags.join(', ')}]`,
    `header_image: images/${image}`,
    '---',
    '',
    paragraph(random),
    '',
  ]
  for (let s = 0; s < 4; s++) {
    parts.push(`## Section ${s + 1}: ${pick(random, WORDS)} ${pick(random, WORDS)}`, '', paragraph(random), '', paragraph(random), '')
    if (s === 0) {
      parts.push('| field | value | note |', '| --- | ---: | --- |')
      for (let r = 0; r < 5; r++) parts.push(`| ${pick(random, WORDS)} | ${between(random, 1, 9999)} | ${pick(random, WORDS)} ${pick(random, WORDS)} |`)
      parts.push('')
    }
    if (s === 1) {
      parts.push('```ts', `const ${pick(random, WORDS)}Count = ${between(random, 1, 99)}`, `export function run(input: string): number {`, `  return input.length * ${between(random, 2, 9)}`, '}', '```', '')
    }
    if (s === 2) {
      parts.push('```bash', `npx ipfs-publish deploy --preview pr-${between(random, 1, 999)}`, 'echo done', '```', '')
      parts.push(`![figure ${i}](/assets/images/${image})`, '')
    }
    if (s === 3 && i > 0) parts.push(`See also [an earlier post](/posts/post-${between(random, 0, i - 1)}/).`, '')
    parts.push(`- ${sentence(random)}`, `- ${sentence(random)}`, `- ${sentence(random)}`, '')
  }
  return parts.join('\n')
}

function svg(i: number): string {
  const hue = (i * 37) % 360
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 600"><rect width="1200" height="600" fill="hsl(${hue} 40% 30%)"/><circle cx="${200 + (i % 8) * 100}" cy="300" r="${80 + (i % 5) * 20}" fill="hsl(${(hue + 120) % 360} 60% 60%)"/></svg>\n`
}


async function generate(): Promise<void> {
  const marker = join(CORPUS, '.complete')
  if (await pathExists(marker)) return
  console.log(`generating ${POSTS} posts in ${CORPUS} ...`)
  await rm(CORPUS, { recursive: true, force: true })
  const random = seededRandom(`render-bench-${POSTS}`)
  const posts = join(CORPUS, 'site', 'posts')
  const images = join(CORPUS, 'site', 'assets', 'images')
  await mkdir(posts, { recursive: true })
  await mkdir(images, { recursive: true })
  for (let i = 0; i < IMAGES; i++) await writeFile(join(images, `img-${i}.svg`), svg(i))
  for (let i = 0; i < POSTS; i++) await writeFile(join(posts, `post-${i}.md`), post(i, random))
  await writeFile(
    join(CORPUS, 'site', 'site.config.json'),
    JSON.stringify({ title: 'Bench blog', description: 'A generated blog', baseUrl: 'https://bench.example/', language: 'en' }, null, 2),
  )
  // Eleventy reads the same Markdown; a directory data file gives it the layout and our URLs.
  const eleventy = join(CORPUS, 'eleventy')
  await cp(posts, join(eleventy, 'posts'), { recursive: true })
  await cp(join(CORPUS, 'site', 'assets'), join(eleventy, 'assets'), { recursive: true })
  await mkdir(join(eleventy, '_includes'), { recursive: true })
  await writeFile(join(eleventy, 'posts', 'posts.11tydata.json'), JSON.stringify({ layout: 'post.njk', permalink: 'posts/{{ page.fileSlug }}/index.html' }))
  await writeFile(
    join(eleventy, '_includes', 'post.njk'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title><link rel="stylesheet" href="/assets/css/style.css"></head>\n' +
      '<body><main><article><h1>{{ title }}</h1><time datetime="{{ page.date.toISOString() }}">{{ page.date.toDateString() }}</time>{{ content | safe }}</article></main></body></html>\n',
  )
  await writeFile(
    join(eleventy, 'eleventy.config.mjs'),
    'export default function (config) {\n  config.addPassthroughCopy("assets")\n  return { dir: { input: ".", output: "_site" }, templateFormats: ["md"] }\n}\n',
  )
  await writeFile(marker, '')
}

async function siteBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

async function main(): Promise<void> {
  await generate()
  // The bench site uses the project's own templates and stylesheet, as a migrated blog would.
  await cp(join(ROOT, 'site', 'templates'), join(CORPUS, 'site', 'templates'), { recursive: true })
  await cp(join(ROOT, 'site', 'assets', 'css'), join(CORPUS, 'site', 'assets', 'css'), { recursive: true })
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
