import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { loadSite, renderSite, type SiteSource } from '../../src/render/index.ts'
import { fixture, html, select, text, textContent } from './helpers.ts'

describe('renderNotFound', () => {
  let source: SiteSource
  before(async () => {
    source = await loadSite(fixture('blogs'))
  })

  it('carries the site stylesheet inline, since gateways serve the 404 page at any depth (regression: a relative stylesheet link broke below the root)', () => {
    const site = renderSite(source)
    const css = source.stylesheets.find((s) => s.file === 'assets/css/style.css')
    assert.ok(css !== undefined, 'the fixture has the theme stylesheet')
    for (const path of ['404.html', 'ipfs-404.html']) {
      const doc = html(site.files, path)
      assert.deepEqual(select(doc, 'link').filter((l) => l.attribs.rel === 'stylesheet'), [], `${path} has no stylesheet link`)
      const styles = select(doc, 'style')
      assert.equal(styles.length, 1)
      assert.equal(textContent(styles[0]!).trim(), css.text.trim())
      // The other links stay relative: they work at the root, the common case.
      assert.ok(select(doc, 'a').some((a) => a.attribs.href === './tags/'))
    }
  })

  it('keeps a stylesheet link it has no text for (an external sheet)', () => {
    const site = renderSite({ ...source, stylesheets: [] })
    assert.ok(select(html(site.files, '404.html'), 'link').some((l) => l.attribs.rel === 'stylesheet' && l.attribs.href === './assets/css/style.css'))
  })

  it('leaves every other page linking the stylesheet', () => {
    const site = renderSite(source)
    assert.equal(select(html(site.files, 'index.html'), 'style').length, 0)
    assert.ok(text(site.files, 'index.html').includes('<link rel="stylesheet" href="./assets/css/style.css">'))
  })
})

describe('renderRedirect', () => {
  it('gives an alias page the canonical URL the post sets (regression: it used the base URL)', async () => {
    const base = await loadSite(fixture('blogs'))
    const post = '---\ntitle: Moved\ndate: 2023-01-01\naliases: [/old/moved/]\ncanonicalUrl: https://elsewhere.example/moved/\n---\nBody.\n'
    const site = renderSite({ ...base, posts: [...base.posts, { file: 'posts/moved.md', text: post }] })
    const canonical = (path: string) => select(html(site.files, path), 'link').find((l) => l.attribs.rel === 'canonical')?.attribs.href
    assert.equal(canonical('posts/moved/index.html'), 'https://elsewhere.example/moved/')
    assert.equal(canonical('old/moved/index.html'), 'https://elsewhere.example/moved/')
  })
})
