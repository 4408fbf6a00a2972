import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ValidationError } from '../../src/config/validate.ts'
import type { BuildProgressEvents } from '../../src/events.ts'
import { normalizeSiteConfig } from '../../src/render/config.ts'
import { defineSite, loadSite } from '../../src/render/index.ts'
import { fixture, SITE_DIR } from './helpers.ts'

describe('loadSite', () => {
  it('reads posts as text and static files as references, sorted', async () => {
    const events: BuildProgressEvents[] = []
    const source = await loadSite(fixture('blogs'), { onProgress: (e) => events.push(e) })
    assert.deepEqual(
      source.posts.map((p) => p.file),
      [
        'posts/2020-05-01-crlf.md',
        'posts/2022-12-community-calendar.md',
        'posts/bonjour.md',
        'posts/bundle-post/index.md',
        'posts/draft.md',
        'posts/gateways.md',
        'posts/hello.md',
        'posts/hugo-pinning.md',
      ],
    )
    const png = source.files.find((f) => f.path === 'posts/local.png')
    assert.equal(png?.ref.size, 'png bytes\n'.length)
    assert.ok(png?.ref.file.endsWith('/posts/local.png'))
    assert.ok(source.files.some((f) => f.path === 'img/logo.png'), 'static/ lands at the root')
    assert.deepEqual(events, [{ type: 'build:load', detail: { posts: 8, assets: source.files.length } }])
  })

  it('gives a site without templates or stylesheet the built-in theme', async () => {
    const source = await loadSite(fixture('blogs'))
    const names = source.templates.map((t) => t.file)
    for (const name of ['base', 'home', 'post', 'tag', 'tags', '404', 'redirect']) assert.ok(names.includes(`templates/${name}.eta`), name)
    assert.ok(source.files.some((f) => f.path === 'assets/css/style.css'))
  })

  it('loads the project blog config written with defineSite', async () => {
    const source = await loadSite(SITE_DIR)
    assert.equal(source.configFile, 'site.config.ts')
    assert.equal(source.config.title, 'ipfs-publish')
    assert.equal(source.config.baseUrl, 'https://blog.ipfs-publish.dev/')
  })

  it('stops when its signal is aborted', async () => {
    await assert.rejects(loadSite(fixture('blogs'), { signal: AbortSignal.abort() }), { name: 'AbortError' })
  })
})

describe('normalizeSiteConfig', () => {
  it('applies the defaults', () => {
    const config = normalizeSiteConfig(defineSite({ title: 'T', baseUrl: 'https://x.example/blog' }))
    assert.deepEqual(config, {
      title: 'T',
      description: '',
      baseUrl: 'https://x.example/blog/',
      language: 'en',
      authors: {},
      postsPerPage: 10,
      markdown: { breaks: false, repairEncoding: false },
      permalink: '/posts/:slug/',
      nav: [],
      social: {},
      favicon: undefined,
      image: undefined,
    })
  })

  it('names the option in every message', () => {
    const cases: [unknown, string][] = [
      [{ baseUrl: 'https://x.example/' }, "`title` is required, e.g. title: 'My blog'"],
      [{ title: 'T' }, "`baseUrl` is required, e.g. baseUrl: 'https://blog.example/'"],
      [{ title: ' ', baseUrl: 'https://x.example/' }, "`title` must be a non-empty string, got ' '"],
      [{ title: 'T', baseUrl: 'ftp://x.example/' }, "`baseUrl` must be an http(s) URL, got 'ftp://x.example/'"],
      [{ title: 'T', baseUrl: 'https://x.example/', language: 'not a tag!' }, "`language` must be a BCP 47 language tag such as 'en' or 'pt-BR', got 'not a tag!'"],
      [{ title: 'T', baseUrl: 'https://x.example/', postsPerPage: 0 }, '`postsPerPage` must be a whole number from 1 to 1000, got number 0'],
      [{ title: 'T', baseUrl: 'https://x.example/', permalink: '/posts/' }, "`permalink` must contain :slug, got '/posts/'"],
      [{ title: 'T', baseUrl: 'https://x.example/', markdown: { brakes: true } }, '`markdown.brakes` is not a known option (did you mean `breaks`?)'],
      [{ title: 'T', baseUrl: 'https://x.example/', authors: { a: { name: 'A', url: 'x' } } }, "`authors.a.url` must be an absolute http(s) URL such as https://blog.example/, got 'x'"],
      [{ title: 'T', baseUrl: 'https://x.example/', favicon: 'icon.svg' }, "`favicon` must be a path inside the site starting with '/', got 'icon.svg'"],
    ]
    for (const [raw, message] of cases) {
      assert.throws(() => normalizeSiteConfig(raw), (err: Error) => err instanceof ValidationError && err.message === message, message)
    }
  })
})
