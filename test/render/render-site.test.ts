import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { loadSite, type RenderedSite, renderSite, type SiteSource } from '../../src/render/index.ts'
import { fixture, html, select, text, textContent } from './helpers.ts'

describe('renderSite', () => {
  let source: SiteSource
  let site: RenderedSite
  before(async () => {
    source = await loadSite(fixture('blogs'))
    site = renderSite(source)
  })
  const paths = () => site.files.map((f) => f.path)

  it('renders VuePress, Hugo and Eleventy posts at their permalinks without edits', () => {
    for (const path of [
      '2022-12-ipfs-community-calendar/index.html', // VuePress `permalink` with slashes
      'posts/pinning/index.html', // Hugo `url`
      'posts/gateways/index.html', // Eleventy `{{ page.fileSlug }}` + index.html
      'posts/bundle-post/index.html', // page bundle: the folder names the post
      'posts/crlf/index.html', // Jekyll-style dated file name, date taken from it
    ]) {
      assert.ok(paths().includes(path), `missing ${path}`)
    }
    assert.equal(site.posts, 7)
  })

  it('leaves drafts out entirely, with their tags', () => {
    assert.ok(!paths().some((p) => p.includes('draft') || p.includes('secret-tag')))
    assert.ok(!text(site.files, 'feed.xml').includes('Not yet'))
  })

  it('returns files sorted by path with copied files as references', () => {
    const sorted = [...paths()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    assert.deepEqual(paths(), sorted)
    const logo = site.files.find((f) => f.path === 'img/logo.png')
    assert.ok(logo !== undefined && !(logo.content instanceof Uint8Array), 'static/ files are copied to the root by reference')
    assert.ok(site.files.some((f) => f.path === 'posts/bundle-post/diagram.png'))
  })

  it('paginates the home page newest first, then by slug', () => {
    const titles = (path: string) => select(html(site.files, path), 'h2', 'card-title').map((h) => textContent(h).trim())
    assert.deepEqual(titles('index.html'), ['Gateways & you', 'Bonjour'])
    assert.deepEqual(titles('page/2/index.html'), ['Hello', 'Announcing the New IPFS Community Calendar'])
    assert.deepEqual(titles('page/3/index.html'), ['A page bundle', 'Windows — line endings'])
    assert.deepEqual(titles('page/4/index.html'), ['Pinning, the Hugo way'])
    const nav = select(html(site.files, 'page/2/index.html'), 'nav', 'pagination')[0]!
    const links = select(nav, 'a').map((a) => [a.attribs.rel, a.attribs.href])
    assert.deepEqual(links, [['prev', '../../'], ['next', '../3/']])
  })

  it('renders a post page with title, time, linked authors, tags, reading time and header image', () => {
    const doc = html(site.files, 'posts/pinning/index.html')
    assert.equal(textContent(select(doc, 'h1')[0]!), 'Pinning, the Hugo way')
    const time = select(select(doc, 'article')[0]!, 'time')[0]!
    assert.equal(time.attribs.datetime, '2019-06-05T11:42:00+02:00')
    const authors = select(doc, 'span', 'authors')[0]!
    assert.equal(textContent(authors), 'Ada Okafor, Lin Wei and Grace Hopper')
    assert.deepEqual(select(authors, 'a').map((a) => a.attribs.href), ['https://ada.example/'])
    assert.match(textContent(select(doc, 'p', 'post-meta')[0]!), /1 min read$/)
    assert.deepEqual(
      select(doc, 'a', 'tag').map((a) => [textContent(a), a.attribs.href]),
      [['Gateway', '../../tags/gateway/'], ['bootstrap', '../../tags/bootstrap/'], ['IPFS', '../../tags/ipfs/']],
    )
    const calendar = html(site.files, '2022-12-ipfs-community-calendar/index.html')
    assert.equal(select(calendar, 'figure', 'header-image').map((f) => select(f, 'img')[0]!.attribs.src)[0], '../assets/calendar.png')
    assert.equal(textContent(select(calendar, 'p', 'lead')[0]!), 'Check out the new IPFS community calendar where you can participate.')
  })

  it('resolves header images next to the post, in assets/ and in assets/images/', () => {
    const img = (path: string) => select(select(html(site.files, path), 'figure', 'header-image')[0]!, 'img')[0]!.attribs.src
    assert.equal(img('posts/bundle-post/index.html'), './diagram.png')
    assert.equal(img('posts/hello/index.html'), '../../assets/images/cover.svg')
    assert.equal(img('posts/gateways/index.html'), '../../assets/images/cover.svg')
  })

  it('merges tags that differ only by case under the first spelling seen', () => {
    const tags = select(html(site.files, 'tags/index.html'), 'a', 'tag').map((a) => [a.attribs.href, textContent(a).replace(/\s+\d+$/, '')])
    assert.deepEqual(tags, [
      ['./bootstrap/', 'bootstrap'],
      ['./bundles/', 'bundles'],
      ['./calendar/', 'calendar'],
      ['./community/', 'community'],
      ['./gateway/', 'Gateway'],
      ['./ipfs/', 'IPFS'],
      ['./windows/', 'Windows'],
    ])
    assert.deepEqual(
      select(html(site.files, 'tags/ipfs/index.html'), 'h2', 'card-title').map((h) => textContent(h).trim()),
      ['Hello', 'Announcing the New IPFS Community Calendar'],
    )
    assert.ok(paths().includes('tags/ipfs/page/2/index.html'))
  })

  it('writes OpenGraph and Twitter meta with absolute URLs', () => {
    const doc = html(site.files, 'posts/gateways/index.html')
    const meta = Object.fromEntries(select(doc, 'meta').map((m) => [m.attribs.property ?? m.attribs.name, m.attribs.content]))
    assert.equal(meta['og:url'], 'https://fixture.example/blog/posts/gateways/')
    assert.equal(meta['og:image'], 'https://fixture.example/blog/assets/images/cover.svg')
    assert.equal(meta['og:type'], 'article')
    assert.equal(meta['twitter:card'], 'summary_large_image')
    assert.equal(meta['twitter:site'], '@fixture')
    assert.equal(select(doc, 'link').find((l) => l.attribs.rel === 'canonical')?.attribs.href, 'https://fixture.example/blog/posts/gateways/')
  })

  it('links translations sharing a translationKey with hreflang alternates', () => {
    const doc = html(site.files, 'posts/hello/index.html')
    const alternates = select(doc, 'link').filter((l) => l.attribs.hreflang !== undefined).map((l) => [l.attribs.hreflang, l.attribs.href])
    assert.deepEqual(alternates, [
      ['fr', 'https://fixture.example/blog/posts/bonjour/'],
      ['en', 'https://fixture.example/blog/posts/hello/'],
    ])
    assert.equal(select(html(site.files, 'posts/bonjour/index.html'), 'html')[0]!.attribs.lang, 'fr')
  })

  it('keeps aliases working with redirect pages and a _redirects file', () => {
    const doc = html(site.files, 'old/pinning/index.html')
    const refresh = select(doc, 'meta').find((m) => m.attribs['http-equiv'] === 'refresh')
    assert.equal(refresh?.attribs.content, '0; url=../../posts/pinning/')
    assert.equal(select(doc, 'link').find((l) => l.attribs.rel === 'canonical')?.attribs.href, 'https://fixture.example/blog/posts/pinning/')
    assert.deepEqual(select(doc, 'a').map((a) => a.attribs.href), ['../../posts/pinning/'])
    assert.ok(paths().includes('2019/06/pinning.html'))
    assert.equal(
      text(site.files, '_redirects'),
      '/2019/06/pinning.html /posts/pinning/ 301\n/old/pinning/ /posts/pinning/ 301\n/* /404.html 404\n',
    )
  })

  it('writes identical 404.html and ipfs-404.html', () => {
    assert.equal(text(site.files, '404.html'), text(site.files, 'ipfs-404.html'))
    assert.ok(select(html(site.files, '404.html'), 'meta').some((m) => m.attribs.name === 'robots' && m.attribs.content === 'noindex'))
  })

  it('writes feeds with absolute links dated by the newest post, not the clock', () => {
    const rss = text(site.files, 'feed.xml')
    assert.match(rss, /<lastBuildDate>Wed, 29 Mar 2023 00:00:00 GMT<\/lastBuildDate>/)
    assert.match(rss, /<link>https:\/\/fixture\.example\/blog\/posts\/pinning\/<\/link>/)
    const atom = text(site.files, 'atom.xml')
    assert.match(atom, /<updated>2023-03-29T00:00:00.000Z<\/updated>/)
    const json = JSON.parse(text(site.files, 'feed.json')) as { items: { url: string; content_html: string }[] }
    const pinning = json.items.find((i) => i.url === 'https://fixture.example/blog/posts/pinning/')
    assert.ok(pinning !== undefined)
    assert.match(pinning.content_html, /href="https:\/\/fixture\.example\/blog\/posts\/gateways\/"/)
    assert.match(pinning.content_html, /src="https:\/\/fixture\.example\/blog\/posts\/local\.png"/)
  })

  it('writes a sitemap of absolute URLs and a robots.txt that points at it', () => {
    const sitemap = text(site.files, 'sitemap.xml')
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!)
    assert.ok(locs.includes('https://fixture.example/blog/'))
    assert.ok(locs.includes('https://fixture.example/blog/posts/pinning/'))
    assert.ok(!locs.some((l) => l.includes('old/pinning') || l.includes('404')), 'no redirects or 404 in the sitemap')
    assert.match(sitemap, /<loc>https:\/\/fixture\.example\/blog\/posts\/pinning\/<\/loc><lastmod>2019-06-06T08:00:00Z<\/lastmod>/)
    assert.equal(text(site.files, 'robots.txt'), 'User-agent: *\nAllow: /\n\nSitemap: https://fixture.example/blog/sitemap.xml\n')
  })

  it('reports an unpadded date as a warning naming file and line', () => {
    assert.deepEqual(site.warnings, [
      { file: 'posts/hello.md', line: 3, message: "front matter: `date` '2023-3-2' is not zero-padded: write 2023-03-02" },
    ])
  })

  it('reads Windows line endings', () => {
    const doc = html(site.files, 'posts/crlf/index.html')
    assert.equal(textContent(select(doc, 'h1')[0]!), 'Windows — line endings')
    assert.equal(select(doc, 'time')[0]!.attribs.datetime, '2020-05-01')
    assert.ok(select(doc, 'a').some((a) => a.attribs.href === '../hello/'), 'a link to ./hello.md leads to its page')
  })

  it('is byte-identical when rendered again', async () => {
    const again = renderSite(await loadSite(fixture('blogs')))
    assert.equal(again.files.length, site.files.length)
    for (const [i, file] of site.files.entries()) {
      const other = again.files[i]!
      assert.equal(other.path, file.path)
      if (file.content instanceof Uint8Array) assert.deepEqual(other.content, file.content, file.path)
      else assert.deepEqual(other.content, file.content)
    }
  })

  it('emits a build:page event for every rendered page', () => {
    const events: { path: string; done: number; total: number }[] = []
    renderSite(source, { onProgress: (e) => e.type === 'build:page' && events.push(e.detail) })
    const htmlPages = site.files.filter((f) => f.path.endsWith('.html') && f.content instanceof Uint8Array)
    assert.equal(events.length, htmlPages.length)
    assert.deepEqual(events.map((e) => e.done), events.map((_, i) => i + 1))
    assert.ok(events.every((e) => e.total === events.length))
  })
})
