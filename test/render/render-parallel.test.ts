import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { RenderError } from '../../src/errors.ts'
import { loadSite, renderSite, type SiteSource } from '../../src/render/index.ts'
import { renderSiteInParallel } from '../../src/render/render-parallel.ts'
import { planSite } from '../../src/render/site-plan.ts'
import { fixture, SITE_DIR } from './helpers.ts'

/** The blogs fixture plus enough posts for many batches, linking each other and using refs. */
function bigSite(base: SiteSource, count: number): SiteSource {
  const posts = Array.from({ length: count }, (_, i) => ({
    file: `posts/gen-${i}.md`,
    text:
      `---\ntitle: Generated ${i}\ndate: 2021-01-${String((i % 28) + 1).padStart(2, '0')}\ntags: [gen, t${i % 3}]\n---\n\n` +
      `Intro of ${i} with **bold**, [a link](/posts/gen-${(i + 1) % count}/) and [a ref]({{< relref "gen-${(i + 2) % count}.md" >}}).\n\n` +
      `## Part ${i}\n\n| a | b |\n| - | - |\n| ${i} | x |\n\n\`\`\`ts\nconst n${i} = ${i}\n\`\`\`\n`,
  }))
  return { ...base, posts: [...base.posts, ...posts] }
}

function assertSameFiles(actual: Awaited<ReturnType<typeof renderSiteInParallel>>, expected: ReturnType<typeof renderSite>): void {
  assert.deepEqual(actual.files.map((f) => f.path), expected.files.map((f) => f.path))
  for (const [i, file] of expected.files.entries()) {
    const other = actual.files[i]!.content
    if (file.content instanceof Uint8Array) {
      assert.ok(other instanceof Uint8Array, file.path)
      assert.ok(Buffer.from(file.content).equals(other), `${file.path} differs`)
    } else {
      assert.deepEqual(other, file.content, file.path)
    }
  }
  assert.deepEqual(actual.warnings, expected.warnings)
  assert.equal(actual.pages, expected.pages)
  assert.equal(actual.posts, expected.posts)
}

describe('renderSiteInParallel', () => {
  let blogs: SiteSource
  before(async () => {
    blogs = await loadSite(fixture('blogs'))
  })

  for (const workers of [1, 2]) {
    it(`writes byte-identical files to renderSite (${workers} worker${workers === 1 ? '' : 's'}, many batches)`, async () => {
      const source = bigSite(blogs, 90)
      assertSameFiles(await renderSiteInParallel(source, { workers }), renderSite(source))
    })
  }

  it('writes byte-identical files for the real site/ and the blogs fixture', async () => {
    for (const source of [await loadSite(SITE_DIR), blogs]) assertSameFiles(await renderSiteInParallel(source, { workers: 2 }), renderSite(source))
  })

  it('reports the same problems as renderSite', async () => {
    const source = await loadSite(fixture('broken'))
    const expected = (() => {
      try {
        renderSite(source)
      } catch (err) {
        return err
      }
    })()
    assert.ok(expected instanceof RenderError)
    await assert.rejects(renderSiteInParallel(source, { workers: 1 }), (err) => err instanceof RenderError && err.message === expected.message)
  })

  it('names the post being rendered when a worker thread crashes', async () => {
    const workerUrl = new URL('./crash-worker.ts', import.meta.url)
    const source = bigSite(blogs, 40)
    // The crash worker dies on the second post of its first batch: the second in render order.
    const second = planSite(source).posts[1]!.file
    await assert.rejects(renderSiteInParallel(source, { workers: 1, workerUrl }), (err) => {
      assert.ok(err instanceof RenderError)
      assert.equal(err.diagnostics.length, 1)
      assert.equal(err.diagnostics[0]!.file, second)
      assert.match(err.diagnostics[0]!.message, /render worker thread crashed while rendering this post: Error: simulated crash/)
      return true
    })
  })

  it('stops on abort and rejects with the signal reason', async () => {
    const controller = new AbortController()
    const onProgress = () => controller.abort(new Error('stop'))
    await assert.rejects(renderSiteInParallel(bigSite(blogs, 200), { workers: 1, signal: controller.signal, onProgress }), /stop/)
  })
})
