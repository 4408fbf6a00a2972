import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { PARALLEL_RENDER_MIN_POSTS } from '../../src/constants.ts'
import { build } from '../../src/render/build.ts'
import { loadSite, renderSite } from '../../src/render/index.ts'
import { fixture } from './helpers.ts'

describe('build', () => {
  let dir: string
  let site: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-build-'))
    site = join(dir, 'site')
    await cp(fixture('blogs'), site, { recursive: true })
    // Enough posts for the worker threads and the writing while rendering.
    for (let i = 0; i < PARALLEL_RENDER_MIN_POSTS; i++) {
      const text = `---\ntitle: Post ${i}\ndate: 2020-02-${String((i % 28) + 1).padStart(2, '0')}\ntags: [bulk]\n---\n\nBody of ${i}, see [the next](/posts/bulk-${(i + 1) % PARALLEL_RENDER_MIN_POSTS}/).\n`
      await writeFile(join(site, 'posts', `bulk-${i}.md`), text)
    }
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes exactly the files renderSite renders for a large site (worker threads, written while rendering)', async () => {
    const out = join(dir, 'out')
    const result = await build({ site, out, root: dir })
    const expected = renderSite(await loadSite(site))
    assert.equal(result.files, expected.files.length)
    assert.equal(result.outDir, out)
    for (const file of expected.files) {
      const written = await readFile(join(out, ...file.path.split('/')))
      const content = file.content instanceof Uint8Array ? file.content : await readFile(file.content.file)
      assert.ok(written.equals(content), `${file.path} differs`)
    }
  })

  it('writes nothing when the render fails, and leaves the old output in place', async () => {
    const out = join(dir, 'out-failed')
    await build({ site, out, root: dir })
    const before = await readFile(join(out, 'index.html'))
    await writeFile(join(site, 'posts', 'broken.md'), '---\ntitle: Broken\ndate: 2020-01-01\n---\n\n[nowhere](/posts/nowhere/)\n')
    try {
      await assert.rejects(build({ site, out, root: dir }), /broken link '\/posts\/nowhere\/'/)
    } finally {
      await rm(join(site, 'posts', 'broken.md'))
    }
    assert.ok((await readFile(join(out, 'index.html'))).equals(before))
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('partial')), [], 'the half-written folder is removed')
  })
})
