import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Diagnostic } from '../../src/errors.ts'
import { indexAuthors, resolveAuthors, splitAuthors } from '../../src/render/authors.ts'
import { parseDate } from '../../src/render/dates.ts'
import { parseFrontMatter } from '../../src/render/frontmatter.ts'
import { findImage } from '../../src/render/images.ts'
import { normalizePermalink } from '../../src/render/paths.ts'
import { expandPermalink, fileSlug } from '../../src/render/permalinks.ts'
import { TagRegistry, tagNames } from '../../src/render/tags.ts'

describe('parseFrontMatter', () => {
  it('records the line of each top-level key and the body offset', () => {
    const errors: Diagnostic[] = []
    const fm = parseFrontMatter('---\ntitle: A\ntags:\n  - x\n"date": 2023-01-01\n---\nbody\n', 'posts/a.md', errors)
    assert.deepEqual(errors, [])
    assert.deepEqual(fm?.data, { title: 'A', tags: ['x'], date: '2023-01-01' })
    assert.deepEqual([...(fm?.lines ?? [])], [['title', 2], ['tags', 3], ['date', 5]])
    assert.equal(fm?.lineOffset, 6)
    assert.equal(fm?.body, 'body\n')
  })

  it('treats a file without front matter as all body', () => {
    const fm = parseFrontMatter('# Hi\n', 'posts/a.md', [])
    assert.deepEqual(fm?.data, {})
    assert.equal(fm?.lineOffset, 0)
  })

  it('reports an unclosed block and TOML front matter', () => {
    const errors: Diagnostic[] = []
    assert.equal(parseFrontMatter('---\ntitle: A\n', 'a.md', errors), undefined)
    assert.equal(parseFrontMatter('+++\ntitle = "A"\n+++\n', 'b.md', errors), undefined)
    assert.deepEqual(errors, [
      { file: 'a.md', line: 1, message: 'front matter: no closing --- line' },
      { file: 'b.md', line: 1, message: 'front matter: TOML (+++) is not supported: write it as YAML between --- lines' },
    ])
  })
})

describe('parseDate', () => {
  it('accepts YYYY-MM-DD as the day, at midnight UTC', () => {
    assert.deepEqual(parseDate('2023-03-29'), { ok: true, padded: true, date: { time: Date.UTC(2023, 2, 29), day: '2023-03-29', iso: '2023-03-29' } })
  })

  it('accepts an unpadded date but says so', () => {
    const r = parseDate('2023-3-2')
    assert.ok(r.ok)
    assert.equal(r.padded, false)
    assert.equal(r.date.day, '2023-03-02')
  })

  it('keeps the time zone of an ISO timestamp', () => {
    const r = parseDate('2019-06-05T11:42:00+02:00')
    assert.ok(r.ok)
    assert.equal(r.date.time, Date.UTC(2019, 5, 5, 9, 42))
    assert.equal(r.date.day, '2019-06-05')
    assert.equal(r.date.iso, '2019-06-05T11:42:00+02:00')
    const spaced = parseDate('2016-10-11 12:00:00 +0000')
    assert.ok(spaced.ok)
    assert.equal(spaced.date.iso, '2016-10-11T12:00:00+00:00')
  })

  it('accepts the Date a YAML 1.1 loader makes of an unquoted timestamp', () => {
    const r = parseDate(new Date(Date.UTC(2022, 11, 15)))
    assert.ok(r.ok)
    assert.equal(r.date.iso, '2022-12-15')
  })

  it('rejects impossible dates and other text', () => {
    for (const bad of ['2023-13-02', '2023-02-29', '2023-00-10', '2023-01-01T25:00', 'Last Modified', '', 20230101]) {
      assert.deepEqual(parseDate(bad), { ok: false }, String(bad))
    }
    assert.ok(parseDate('2024-02-29').ok, 'leap day')
  })
})

describe('splitAuthors', () => {
  it('splits the ways bloggers list several authors', () => {
    assert.deepEqual(splitAuthors('A, B & C'), ['A', 'B', 'C'])
    assert.deepEqual(splitAuthors('A and B'), ['A', 'B'])
    assert.deepEqual(splitAuthors('A, B, and C'), ['A', 'B', 'C'])
    assert.deepEqual(splitAuthors(['Alexandra Sand', 'Bo']), ['Alexandra Sand', 'Bo'])
    assert.deepEqual(splitAuthors(undefined), [])
  })

  it('links names that match a configured author by id or name', () => {
    const index = indexAuthors({ ada: { name: 'Ada Okafor', url: 'https://ada.example/' } })
    assert.deepEqual(resolveAuthors(['ada', 'ADA OKAFOR', 'Bo'], index), [
      { name: 'Ada Okafor', url: 'https://ada.example/', id: 'ada' },
      { name: 'Ada Okafor', url: 'https://ada.example/', id: 'ada' },
      { name: 'Bo', url: undefined, id: undefined },
    ])
  })
})

describe('tagNames', () => {
  it('reads a list, a comma string or one string', () => {
    assert.deepEqual(tagNames(['IPFS', 'go ipfs']), ['IPFS', 'go ipfs'])
    assert.deepEqual(tagNames('gateway, bootstrap'), ['gateway', 'bootstrap'])
    assert.deepEqual(tagNames('gateway'), ['gateway'])
    assert.equal(tagNames({ a: 1 }), undefined)
  })

  it('makes spellings that differ by case one tag, shown as first seen', () => {
    const tags = new TagRegistry()
    const first = tags.tag('IPFS')
    assert.equal(tags.tag('ipfs'), first)
    assert.deepEqual(first, { name: 'IPFS', slug: 'ipfs' })
    assert.deepEqual(tags.tag('Café Society'), { name: 'Café Society', slug: 'cafe-society' })
    assert.equal(tags.tag('!!!'), undefined)
  })
})

describe('findImage', () => {
  const files = new Set(['assets/x.png', 'assets/images/y.svg', 'posts/z.png', 'posts/b/w.png'])
  it('looks next to the post, then in assets/, then in assets/images/', () => {
    assert.deepEqual(findImage('z.png', 'posts/a.md', files), { ok: true, path: 'posts/z.png', external: false })
    assert.deepEqual(findImage('x.png', 'posts/a.md', files), { ok: true, path: 'assets/x.png', external: false })
    assert.deepEqual(findImage('y.svg', 'posts/a.md', files), { ok: true, path: 'assets/images/y.svg', external: false })
    assert.deepEqual(findImage('images/y.svg', 'posts/a.md', files), { ok: true, path: 'assets/images/y.svg', external: false })
  })

  it('reads site paths and paths relative to the post', () => {
    assert.deepEqual(findImage('/assets/x.png', 'posts/a.md', files), { ok: true, path: 'assets/x.png', external: false })
    assert.deepEqual(findImage('/x.png', 'posts/a.md', files), { ok: true, path: 'assets/x.png', external: false })
    assert.deepEqual(findImage('./w.png', 'posts/b/index.md', files), { ok: true, path: 'posts/b/w.png', external: false })
  })

  it('says where it looked when the image is missing', () => {
    assert.deepEqual(findImage('nope.png', 'posts/a.md', files), { ok: false, tried: ['posts/nope.png', 'assets/nope.png', 'assets/images/nope.png'] })
  })
})

describe('permalinks', () => {
  it('normalizes slashes of front matter permalinks', () => {
    assert.equal(normalizePermalink('posts/x'), '/posts/x/')
    assert.equal(normalizePermalink('/posts/x/'), '/posts/x/')
    assert.equal(normalizePermalink('/old/page.html'), '/old/page.html')
  })

  it('expands the Eleventy expressions blogs use and refuses others', () => {
    const ctx = { slug: 's', fileSlug: 'hello', title: 'Hello World', date: { time: 0, day: '2023-01-02', iso: '2023-01-02' } }
    assert.equal(expandPermalink('/blog/{{ page.fileSlug }}/index.html', ctx), '/blog/hello/')
    assert.equal(expandPermalink('/{{ title | slugify }}/', ctx), '/hello-world/')
    assert.throws(() => expandPermalink('/{{ page.date }}/', ctx), /\{\{ page\.date \}\} is not supported/)
  })

  it('takes the slug from the file name, the bundle folder, without a Jekyll date', () => {
    assert.equal(fileSlug('posts/2023-03-29-hello.md'), 'hello')
    assert.equal(fileSlug('posts/bundle/index.md'), 'bundle')
    assert.equal(fileSlug('posts/2022-12-calendar.md'), '2022-12-calendar')
  })
})
