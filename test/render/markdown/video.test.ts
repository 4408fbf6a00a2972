import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDocument } from 'htmlparser2'
import { parseVideoId } from '../../../src/render/markdown/video.ts'
import { formatted, html, render } from './helpers.ts'

const YOUTUBE =
  '<a class="video-embed video-embed-youtube" href="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" rel="noopener">' +
  '<span class="video-embed-play" aria-hidden="true">\u25B6\uFE0E</span><span class="video-embed-label">Play video on YouTube</span></a>'

interface Element {
  name?: string
  attribs?: Record<string, string>
  children?: Element[]
}

function elements(node: Element): Element[] {
  return [node, ...(node.children ?? []).flatMap(elements)]
}

describe('parseVideoId', () => {
  it('accepts ids and the usual video page URLs', () => {
    for (const value of [
      'dQw4w9WgXcQ',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      'https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42',
      'https://youtu.be/dQw4w9WgXcQ',
      'https://www.youtube.com/embed/dQw4w9WgXcQ',
      'https://youtube.com/shorts/dQw4w9WgXcQ',
      'https://m.youtube.com/watch?v=dQw4w9WgXcQ',
    ]) {
      assert.deepEqual(parseVideoId('youtube', value), { id: 'dQw4w9WgXcQ' }, value)
    }
    for (const value of ['76979871', 'https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871', 'https://vimeo.com/channels/staffpicks/76979871']) {
      assert.deepEqual(parseVideoId('vimeo', value), { id: '76979871' }, value)
    }
  })

  it('rejects ids of the wrong shape and URLs of other sites', () => {
    for (const value of ['dQw4w9WgXc', 'dQw4w9WgXcQQ', 'dQw4w9WgX"Q', 'https://example.org/watch?v=dQw4w9WgXcQ', '']) {
      assert.ok('error' in parseVideoId('youtube', value), value)
    }
    for (const value of ['abc', '123abc', 'https://example.org/76979871']) assert.ok('error' in parseVideoId('vimeo', value), value)
  })
})

describe('createMarkdownRenderer: @[youtube](...) and @[vimeo](...)', () => {
  it('renders a poster link to the no-cookie player on a line of its own', () => {
    assert.equal(html('@[youtube](dQw4w9WgXcQ)'), `${YOUTUBE}\n`)
    assert.equal(html('@[youtube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)'), `${YOUTUBE}\n`)
  })

  it('renders vimeo with its player URL', () => {
    assert.match(html('@[vimeo](https://vimeo.com/76979871)'), /^<a class="video-embed video-embed-vimeo" href="https:\/\/player\.vimeo\.com\/video\/76979871" rel="noopener">/)
  })

  it('renders inside a paragraph too', () => {
    assert.equal(html('Watch @[youtube](dQw4w9WgXcQ) now'), `<p>Watch ${YOUTUBE} now</p>\n`)
  })

  it('loads nothing from a third party and needs no script', () => {
    const document = parseDocument(html('@[youtube](dQw4w9WgXcQ)\n\n@[vimeo](76979871)')) as Element
    const all = elements(document)
    assert.deepEqual(all.filter((e) => ['iframe', 'img', 'script', 'video', 'object'].includes(e.name ?? '')), [])
    assert.deepEqual(all.filter((e) => e.attribs?.src !== undefined || e.attribs?.style !== undefined), [])
    assert.equal(all.filter((e) => e.name === 'a').length, 2)
  })

  it('reports a bad id with file and line, and embeds nothing', () => {
    const result = render('Intro\n\n@[youtube](not-an-id)\n\nText @[vimeo](abc)', {}, 4)
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:7: invalid YouTube video "not-an-id": expected an 11-character id (letters, digits, _ and -) or a youtube.com/youtu.be video URL',
      'posts/a.md:9: invalid Vimeo video "abc": expected a numeric id or a vimeo.com video URL',
    ])
    assert.doesNotMatch(result.html, /video-embed/)
  })

  it('reports services markdown-it-video knew but that cannot embed here', () => {
    const result = render('@[prezi](abc)')
    assert.deepEqual(formatted(result.errors), ['posts/a.md:1: unsupported video service "@[prezi]": only youtube and vimeo embed; replace it with a link'])
  })

  it('leaves other @[...] text and code alone', () => {
    assert.equal(html('@[someone](x) and `@[youtube](dQw4w9WgXcQ)`'), '<p>@<a href="x">someone</a> and <code>@[youtube](dQw4w9WgXcQ)</code></p>\n')
  })
})
