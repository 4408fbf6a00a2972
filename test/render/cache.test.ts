import assert from 'node:assert/strict'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { RENDER_CACHE_MAX_SEGMENTS } from '../../src/constants.ts'
import type { RenderCacheReport } from '../../src/events.ts'
import { normalizeConfig } from '../../src/config/index.ts'
import { openRenderCache, RENDER_PACKAGES } from '../../src/render/cache/index.ts'
import { MANIFEST_FILE, parseManifest } from '../../src/render/cache/format.ts'
import { build, type BuildResult } from '../../src/render/build.ts'
import { loadSite, renderSite } from '../../src/render/index.ts'
import { buildForPack } from '../../src/site-build.ts'
import { fixture, SITE_DIR } from './helpers.ts'

let root: string
let serial = 0

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipfs-publish-render-cache-'))
})

after(() => rm(root, { recursive: true, force: true }))

function generatedPost(i: number, count: number, word = 'x'): string {
  return (
    `---\ntitle: Generated ${i}\ndate: 2021-01-${String((i % 28) + 1).padStart(2, '0')}\ntags: [gen, t${i % 3}]\n---\n\n` +
    `Intro of ${i} with **bold**, [a link](/posts/gen-${(i + 1) % count}/) and [a ref]({{< relref "gen-${(i + 2) % count}.md" >}}).\n\n` +
    `## Part ${i}\n\n| a | b |\n| - | - |\n| ${i} | ${word} |\n\n\`\`\`ts\nconst n${i} = ${i}\n\`\`\`\n`
  )
}

/** A copy of the blogs fixture with `count` generated posts, plus a post that others reach by its source file. */
async function makeSite(count: number): Promise<string> {
  const dir = join(root, `site-${++serial}`)
  await cp(fixture('blogs'), dir, { recursive: true })
  for (let i = 0; i < count; i++) await writeFile(join(dir, 'posts', `gen-${i}.md`), generatedPost(i, count))
  await writeFile(join(dir, 'posts', 'target.md'), '---\ntitle: Target\ndate: 2021-02-01\n---\n\nThe post others point at.\n')
  await writeFile(join(dir, 'posts', 'by-ref.md'), '---\ntitle: By ref\ndate: 2021-02-02\n---\n\nSee [the target]({{< relref "target.md" >}}).\n')
  await writeFile(join(dir, 'posts', 'by-source.md'), '---\ntitle: By source\ndate: 2021-02-03\n---\n\nSee [the target](./target.md).\n')
  return dir
}

interface Built {
  result: BuildResult
  cache: RenderCacheReport | undefined
}

async function buildSite(site: string, cacheDir?: string): Promise<Built> {
  let cache: RenderCacheReport | undefined
  const result = await build({
    site,
    out: join(root, 'unused-out'),
    root,
    dryRun: true,
    cacheDir,
    onProgress: (event) => {
      if (event.type === 'build:cache') cache = event.detail
    },
  })
  assert.deepEqual(result.cache, cache)
  return { result, cache }
}

function assertSameOutput(actual: BuildResult, expected: BuildResult): void {
  const files = expected.output!
  assert.deepEqual(actual.output!.map((f) => f.path), files.map((f) => f.path))
  for (const [i, file] of files.entries()) {
    const other = actual.output![i]!.content
    if (file.content instanceof Uint8Array) {
      assert.ok(other instanceof Uint8Array, file.path)
      assert.ok(Buffer.from(file.content).equals(other), `${file.path} differs`)
    } else {
      assert.deepEqual(other, file.content, file.path)
    }
  }
  assert.deepEqual(actual.warnings, expected.warnings)
}

const cacheDirFor = () => join(root, `cache-${++serial}`)

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith('seg-'))
}

describe('build with a render cache', () => {
  it('writes byte-identical output with no cache, a cold cache and a warm one', async () => {
    for (const site of [fixture('blogs'), SITE_DIR, await makeSite(300)]) {
      const cacheDir = cacheDirFor()
      const none = await buildSite(site)
      assert.equal(none.cache, undefined)
      const cold = await buildSite(site, cacheDir)
      const warm = await buildSite(site, cacheDir)
      assertSameOutput(cold.result, none.result)
      assertSameOutput(warm.result, none.result)
      assert.deepEqual(cold.cache?.posts, { cached: 0, rendered: none.result.posts })
      assert.deepEqual(warm.cache?.posts, { cached: none.result.posts, rendered: 0 })
      // Only the two 404 pages are never cached (their inline stylesheets depend on the site's files).
      assert.deepEqual(warm.cache?.pages, { cached: none.result.pages - 2, rendered: 2 })
      assert.equal(warm.cache?.corrupt, 0)
    }
  })

  it('renders again only the post that changed', async () => {
    const site = await makeSite(240)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    // Same words, same first paragraph: no list page changes, only the post's own page.
    await writeFile(join(site, 'posts', 'gen-17.md'), generatedPost(17, 240, 'y'))
    const warm = await buildSite(site, cacheDir)
    assert.deepEqual(warm.cache?.posts, { cached: warm.result.posts - 1, rendered: 1 })
    assert.deepEqual(warm.cache?.pages, { cached: warm.result.pages - 3, rendered: 3 })
    assert.equal(warm.cache?.swept, 2)
    assertSameOutput(warm.result, (await buildSite(site)).result)
  })

  it('renders again what depends on a post that moved: its refs, and pages that link to its source', async () => {
    const site = await makeSite(20)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    await writeFile(join(site, 'posts', 'target.md'), '---\ntitle: Target\ndate: 2021-02-01\npermalink: /elsewhere/target/\n---\n\nThe post others point at.\n')
    const warm = await buildSite(site, cacheDir)
    // target.md itself and by-ref.md, whose ref now resolves elsewhere; by-source.md's
    // Markdown is the same, but its page links to the new address.
    assert.equal(warm.cache?.posts.rendered, 2)
    const fresh = await buildSite(site)
    assertSameOutput(warm.result, fresh.result)
    const page = (b: Built) => Buffer.from(b.result.output!.find((f) => f.path === 'posts/by-source/index.html')!.content as Uint8Array).toString()
    assert.match(page(warm), /href="\.\.\/\.\.\/elsewhere\/target\/"/)
  })

  it('renders again a page whose ref now names another post while the old one stays', async () => {
    // Regression: the page's key stood for its HTML by the Markdown's key alone, which
    // does not cover what the refs resolved to; the old target still existing, every
    // link check passed and the page kept the old link.
    const site = await makeSite(5)
    const cacheDir = cacheDirFor()
    await mkdir(join(site, 'posts', 'old'))
    await writeFile(join(site, 'posts', 'old', 'foo.md'), '---\ntitle: Old foo\ndate: 2020-01-01\npermalink: /old/foo/\n---\n\nOld.\n')
    await writeFile(join(site, 'posts', 'x.md'), '---\ntitle: X\ndate: 2021-03-01\n---\n\nSee [foo]({{< relref "foo" >}}).\n')
    await buildSite(site, cacheDir)
    await writeFile(join(site, 'posts', 'new-foo.md'), '---\ntitle: New foo\nslug: foo\ndate: 2022-01-01\npermalink: /new/foo/\n---\n\nNew.\n')
    const warm = await buildSite(site, cacheDir)
    assert.equal(warm.cache?.posts.rendered, 2)
    assertSameOutput(warm.result, (await buildSite(site)).result)
  })

  it('renders the posts missing from the cache on worker threads, in between the cached ones', async () => {
    const count = 450
    const site = await makeSite(count)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    // Every other post changes: more than PARALLEL_RENDER_MIN_POSTS to render, interleaved with cached ones.
    for (let i = 0; i < count; i += 2) await writeFile(join(site, 'posts', `gen-${i}.md`), generatedPost(i, count, 'changed'))
    const warm = await buildSite(site, cacheDir)
    assert.equal(warm.cache?.posts.rendered, count / 2)
    assertSameOutput(warm.result, (await buildSite(site)).result)
  })

  it('takes a summary from the cached HTML when a post loses its description', async () => {
    const site = await makeSite(5)
    const cacheDir = cacheDirFor()
    const file = join(site, 'posts', 'target.md')
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace('title: Target\n', 'title: Target\ndescription: Said in the front matter.\n'))
    await buildSite(site, cacheDir)
    // The body and its line offset are the same: its Markdown comes from the cache, its summary from that HTML.
    await writeFile(file, text.replace('title: Target\n', 'title: Target\nsummary:\n'))
    const warm = await buildSite(site, cacheDir)
    assert.equal(warm.cache?.posts.rendered, 0)
    assertSameOutput(warm.result, (await buildSite(site)).result)
  })

  it('renders everything again when a Markdown option changes', async () => {
    const site = await makeSite(30)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    const configFile = join(site, 'site.config.json')
    await writeFile(configFile, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), markdown: { breaks: true } }))
    const warm = await buildSite(site, cacheDir)
    assert.deepEqual(warm.cache?.posts, { cached: 0, rendered: warm.result.posts })
    assert.equal(warm.cache?.pages.cached, 0)
    assertSameOutput(warm.result, (await buildSite(site)).result)
  })

  it('ignores damaged entries and a damaged manifest, and still writes the same bytes', async () => {
    const site = await makeSite(40)
    const cacheDir = cacheDirFor()
    const expected = (await buildSite(site)).result
    await buildSite(site, cacheDir)
    const [segment] = await segmentFiles(cacheDir)
    const path = join(cacheDir, segment!)
    const bytes = await readFile(path)
    for (let at = 100; at < bytes.length; at += 4096) bytes[at]! ^= 0xff
    await writeFile(path, bytes)
    const damaged = await buildSite(site, cacheDir)
    assert.ok(damaged.cache!.corrupt > 0)
    assertSameOutput(damaged.result, expected)
    // The damaged entries it read were rendered again and kept (or, unread, dropped when their segment was rewritten).
    const repaired = await buildSite(site, cacheDir)
    assert.equal(repaired.cache?.corrupt, 0)
    assertSameOutput(repaired.result, expected)

    for (const segment of await segmentFiles(cacheDir)) await truncate(join(cacheDir, segment), 1000)
    const cut = await buildSite(site, cacheDir)
    assert.ok(cut.cache!.corrupt > 0)
    assertSameOutput(cut.result, expected)

    await writeFile(join(cacheDir, MANIFEST_FILE), 'ipfs-publish render cache 1\n0\n{"not": "this"}')
    const garbage = await buildSite(site, cacheDir)
    assert.match(garbage.cache?.ignored ?? '', /checksum/)
    assert.equal(garbage.cache?.posts.cached, 0)
    assertSameOutput(garbage.result, expected)
  })

  it('sets aside a cache written by another format or another renderer version', async () => {
    const site = await makeSite(10)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    const manifest = join(cacheDir, MANIFEST_FILE)
    const text = await readFile(manifest, 'utf8')
    await writeFile(manifest, text.replace(/^(ipfs-publish render cache) \d+/, '$1 999'))
    const otherFormat = await buildSite(site, cacheDir)
    assert.equal(otherFormat.cache?.ignored, 'manifest written by another version')
    assert.equal(otherFormat.cache?.posts.cached, 0)

    // A renderer whose code or packages differ sees none of the entries, and sweeps them.
    const source = await loadSite(site)
    const first = await openRenderCache(cacheDir, { fingerprint: 'renderer A' })
    const rendered = renderSite(source, { cache: first })
    const saved = await first.save()
    assert.equal(saved.entries, rendered.posts + rendered.pages - 2)
    const before = await segmentFiles(cacheDir)
    const second = await openRenderCache(cacheDir, { fingerprint: 'renderer B' })
    assert.equal(second.ignored, 'made by another version of the renderer or its packages')
    assert.equal(second.size, 0)
    renderSite(source, { cache: second })
    const resaved = await second.save()
    assert.equal(resaved.markdownCached, 0)
    assert.equal(resaved.swept, saved.entries)
    // Its own two segments (Markdown, pages), the other renderer's removed.
    const after = await segmentFiles(cacheDir)
    assert.equal(after.length, 2)
    assert.deepEqual(after.filter((name) => before.includes(name)), [])
  })

  it('sweeps the entries of deleted posts and keeps a bounded number of files', async () => {
    const site = await makeSite(30)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    // gen-1 refers to gen-3 and gen-2 links to it: they point elsewhere now.
    await rm(join(site, 'posts', 'gen-3.md'))
    await writeFile(join(site, 'posts', 'gen-1.md'), generatedPost(1, 30).replace('relref "gen-3.md"', 'relref "gen-4.md"'))
    await writeFile(join(site, 'posts', 'gen-2.md'), generatedPost(2, 30).replace('/posts/gen-3/', '/posts/gen-4/'))
    const after = await buildSite(site, cacheDir)
    assert.ok(after.cache!.swept >= 3)
    const manifest = parseManifest(await readFile(join(cacheDir, MANIFEST_FILE), 'utf8'))
    assert.ok(!('problem' in manifest))
    assert.equal(manifest.markdown.length, after.result.posts)
    assert.equal(manifest.pages.length, after.result.pages - 2)
    assert.equal(after.cache?.entries, after.result.posts + after.result.pages - 2)

    // Each build adds a segment; old ones are merged so that their number stays bounded.
    for (let n = 0; n < RENDER_CACHE_MAX_SEGMENTS + 3; n++) {
      await writeFile(join(site, 'posts', 'gen-9.md'), generatedPost(9, 30, `v${n}`))
      const built = await buildSite(site, cacheDir)
      assert.equal(built.cache?.posts.rendered, 1)
    }
    assert.ok((await segmentFiles(cacheDir)).length <= RENDER_CACHE_MAX_SEGMENTS)
    assertSameOutput((await buildSite(site, cacheDir)).result, (await buildSite(site)).result)
  })

  it('keeps what a build that failed on the site’s errors rendered', async () => {
    const site = await makeSite(20)
    const cacheDir = cacheDirFor()
    await writeFile(join(site, 'posts', 'gen-4.md'), generatedPost(4, 20).replace('/posts/gen-5/', '/posts/nowhere/'))
    await assert.rejects(buildSite(site, cacheDir), { name: 'RenderError' })
    await writeFile(join(site, 'posts', 'gen-4.md'), generatedPost(4, 20))
    const fixed = await buildSite(site, cacheDir)
    assert.deepEqual(fixed.cache?.posts, { cached: fixed.result.posts - 1, rendered: 1 })
  })

  it('leaves the cache as it was when a build is stopped', async () => {
    const site = await makeSite(240)
    const cacheDir = cacheDirFor()
    await buildSite(site, cacheDir)
    const manifest = await readFile(join(cacheDir, MANIFEST_FILE))
    await writeFile(join(site, 'posts', 'gen-1.md'), generatedPost(1, 240, 'stopped'))
    for (let i = 0; i < 240; i += 3) await writeFile(join(site, 'posts', `gen-${i}.md`), generatedPost(i, 240, 'stopped'))
    const controller = new AbortController()
    const stopping = build({
      site,
      out: join(root, 'unused-out'),
      root,
      dryRun: true,
      cacheDir,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'build:page' && event.detail.done === 100) controller.abort(new Error('stopped'))
      },
    })
    await assert.rejects(stopping, /stopped/)
    assert.ok((await readFile(join(cacheDir, MANIFEST_FILE))).equals(manifest))
    assert.deepEqual((await readdir(cacheDir)).filter((f) => f.endsWith('.tmp')), [])
  })

  it('builds on, and says why, when the cache cannot be written', async () => {
    const site = await makeSite(5)
    const notADir = join(root, `file-${++serial}`)
    await writeFile(notADir, 'in the way')
    const built = await buildSite(site, notADir)
    assert.match(built.cache?.error ?? '', /could not save the render cache/)
    assertSameOutput(built.result, (await buildSite(site)).result)
  })

  it('writes nothing when the cache is off', async () => {
    const store = join(root, `store-${++serial}`)
    const config = await normalizeConfig({ site: fixture('blogs'), store, build: { cache: false } }, undefined, root)
    await buildForPack({ config })
    await assert.rejects(readdir(store), { code: 'ENOENT' })
    await buildSite(fixture('blogs'))
    await buildForPack({ config: { ...config, build: { ...config.build, cache: true } } })
    assert.ok((await readdir(join(store, 'render-cache'))).includes(MANIFEST_FILE))
  })
})

describe('RENDER_PACKAGES', () => {
  it('lists every package imported under src/render (their versions are part of every key)', async () => {
    const dir = new URL('../../src/render/', import.meta.url)
    const imported = new Set<string>()
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8')
      for (const [, spec] of text.matchAll(/^(?:import|export) [^'"]*from '([^'.][^']*)'/gm)) {
        if (spec!.startsWith('node:')) continue
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!
        imported.add(name)
      }
    }
    assert.ok(imported.has('markdown-it'))
    assert.deepEqual([...imported].filter((name) => !(RENDER_PACKAGES as readonly string[]).includes(name)), [])
  })
})
