/**
 * The render benchmark's seeded blog: N posts of Markdown (front matter, sections, a
 * table, code, an image, a link to an earlier post) and 200 SVG images, the same on every
 * machine, plus the same posts set up for Eleventy. Generated once per size under
 * bench/corpus/render-N/ and reused (a `.complete` marker says it is whole). Shared by the
 * render and deploy benchmarks.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pathExists } from '../../src/fs.ts'
import { between, pick, seededRandom } from './random.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const IMAGES = 200

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


/** The corpus folder for `posts` posts: `site/` (ours) and `eleventy/`. */
export function blogCorpusDir(posts: number): string {
  return join(ROOT, 'bench', 'corpus', `render-${posts}`)
}

/** Generates the corpus unless it is already whole; returns its folder. */
export async function ensureBlogCorpus(count: number): Promise<string> {
  const corpus = blogCorpusDir(count)
  const marker = join(corpus, '.complete')
  if (await pathExists(marker)) return corpus
  console.log(`generating ${count} posts in ${corpus} ...`)
  await rm(corpus, { recursive: true, force: true })
  const random = seededRandom(`render-bench-${count}`)
  const posts = join(corpus, 'site', 'posts')
  const images = join(corpus, 'site', 'assets', 'images')
  await mkdir(posts, { recursive: true })
  await mkdir(images, { recursive: true })
  for (let i = 0; i < IMAGES; i++) await writeFile(join(images, `img-${i}.svg`), svg(i))
  for (let i = 0; i < count; i++) await writeFile(join(posts, `post-${i}.md`), post(i, random))
  await writeFile(
    join(corpus, 'site', 'site.config.json'),
    JSON.stringify({ title: 'Bench blog', description: 'A generated blog', baseUrl: 'https://bench.example/', language: 'en' }, null, 2),
  )
  // Eleventy reads the same Markdown; a directory data file gives it the layout and our URLs.
  const eleventy = join(corpus, 'eleventy')
  await cp(posts, join(eleventy, 'posts'), { recursive: true })
  await cp(join(corpus, 'site', 'assets'), join(eleventy, 'assets'), { recursive: true })
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
  return corpus
}

/** The project's own templates and stylesheet into the corpus site, as a migrated blog would use them. */
export async function withProjectTheme(site: string): Promise<void> {
  await cp(join(ROOT, 'site', 'templates'), join(site, 'templates'), { recursive: true })
  await cp(join(ROOT, 'site', 'assets', 'css'), join(site, 'assets', 'css'), { recursive: true })
}
