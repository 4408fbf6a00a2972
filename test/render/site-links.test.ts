/**
 * Every internal link of every page must work wherever the site is served from. This
 * checks the output independently of the link pass: each URL is resolved the way a
 * browser would from the page's address under a path gateway (`/ipfs/<cid>/...`), and must
 * land on a file of the output.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadSite, renderSite } from '../../src/render/index.ts'
import type { OutputFile } from '../../src/render/types.ts'
import { byTag, findAll, fixture, html, SITE_DIR } from './helpers.ts'

const ROOT = 'https://gateway.example/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/'

function checkLinks(files: readonly OutputFile[], baseUrl: string): { checked: number; problems: string[] } {
  const paths = new Set(files.map((f) => f.path))
  const problems: string[] = []
  let checked = 0
  for (const page of files.filter((f) => f.path.endsWith('.html') && f.content instanceof Uint8Array)) {
    const doc = html(files, page.path)
    const check = (value: string, where: string) => {
      const v = value.trim()
      if (v === '' || v.startsWith('#') || /^(mailto|tel|data|javascript):/i.test(v)) return
      if (v.startsWith('/')) {
        problems.push(`${page.path}: ${where} '${v}' is site-absolute: it breaks under /ipfs/<cid>/`)
        return
      }
      if (v.startsWith(baseUrl)) {
        problems.push(`${page.path}: ${where} '${v}' is an absolute URL of the site itself`)
        return
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(v)) return
      checked++
      const url = new URL(v, ROOT + page.path)
      if (!url.href.startsWith(ROOT)) {
        problems.push(`${page.path}: ${where} '${v}' climbs out of the site root`)
        return
      }
      let target = decodeURIComponent(url.pathname.slice(new URL(ROOT).pathname.length))
      if (target === '' || target.endsWith('/')) target += 'index.html'
      if (!paths.has(target)) problems.push(`${page.path}: ${where} '${v}' → ${target} does not exist`)
    }
    for (const el of findAll(doc, () => true)) {
      const absoluteOnPurpose = el.name === 'link' && (el.attribs.rel === 'canonical' || el.attribs.hreflang !== undefined)
      for (const name of ['href', 'src', 'poster']) {
        const value = el.attribs[name]
        if (value === undefined) continue
        if (absoluteOnPurpose) {
          assert.ok(value.startsWith(baseUrl), `${page.path}: canonical/alternate ${value} must be absolute`)
          continue
        }
        check(value, `<${el.name} ${name}>`)
      }
      for (const candidate of (el.attribs.srcset ?? '').split(/,\s+/)) {
        const url = candidate.trim().split(/\s+/)[0]
        if (url !== undefined && url !== '') check(url, `<${el.name} srcset>`)
      }
    }
    for (const meta of findAll(doc, byTag('meta'))) {
      if (meta.attribs['http-equiv'] !== 'refresh') continue
      check(/url=(.*)$/i.exec(meta.attribs.content ?? '')?.[1] ?? '', 'meta refresh')
    }
  }
  return { checked, problems }
}

describe('renderSite links', () => {
  for (const [name, dir] of [
    ['the real site/', SITE_DIR],
    ['the blogs fixture', fixture('blogs')],
  ] as const) {
    it(`makes every internal link of ${name} relative and resolvable under a path gateway`, async () => {
      const source = await loadSite(dir)
      const site = renderSite(source)
      const { checked, problems } = checkLinks(site.files, source.config.baseUrl)
      assert.deepEqual(problems, [])
      assert.ok(checked > 50, `only ${checked} links checked`)
    })
  }

  it('finds the problems it is meant to find (the checker itself can fail)', () => {
    const page = (body: string): OutputFile => ({
      path: 'posts/x/index.html',
      content: new TextEncoder().encode(`<!doctype html><html><body>${body}</body></html>`),
    })
    const { problems } = checkLinks(
      [page('<a href="/posts/y/">a</a><a href="../y/">b</a><img src="https://s.example/x.png" alt=""><a href="../../">c</a>')],
      'https://s.example/',
    )
    assert.deepEqual(problems, [
      "posts/x/index.html: <a href> '/posts/y/' is site-absolute: it breaks under /ipfs/<cid>/",
      "posts/x/index.html: <a href> '../y/' → posts/y/index.html does not exist",
      "posts/x/index.html: <img src> 'https://s.example/x.png' is an absolute URL of the site itself",
      "posts/x/index.html: <a href> '../../' → index.html does not exist",
    ])
  })
})
