import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LinkIndex } from '../../src/render/link-resolve.ts'
import { lineAt, rewriteLinks } from '../../src/render/links.ts'
import { relativeUrl } from '../../src/render/paths.ts'

const index: LinkIndex = {
  files: new Set([
    'index.html',
    'posts/a/index.html',
    'posts/b/index.html',
    'posts/img.png',
    'assets/x.png',
    'assets/x@2x.png',
    'tags/c#/index.html',
    'tags/ipfs/index.html',
    'old.html',
  ]),
  sources: new Map([['posts/b.md', '/posts/b/']]),
  baseUrl: 'https://blog.example/sub/',
}
const page = 'posts/a/index.html'
const rewrite = (html: string, extra: Partial<Parameters<typeof rewriteLinks>[1]> = {}) => rewriteLinks(html, { page, index, ...extra })

describe('rewriteLinks', () => {
  it('makes site-absolute links relative to the page', () => {
    const { html, broken } = rewrite('<a href="/posts/b/">b</a> <img src="/assets/x.png" alt=""> <a href="/">home</a>')
    assert.equal(html, '<a href="../b/">b</a> <img src="../../assets/x.png" alt=""> <a href="../../">home</a>')
    assert.deepEqual(broken, [])
  })

  it('keeps every other byte of the page as it was', () => {
    const input = '<!doctype html>\n<P CLASS=x  data-a = "1"><a  title="t"\n href=\'/posts/b/\' >b</a><!-- <a href="/nope/"> --><script>let s = "<a href=\'/nope/\'>"</script></P>\n'
    const { html, broken } = rewrite(input)
    assert.equal(html, input.replace("'/posts/b/'", "'../b/'"))
    assert.deepEqual(broken, [], 'comments and scripts are not links')
  })

  it('rewrites absolute URLs of the base URL, and leaves other sites alone', () => {
    const { html } = rewrite('<a href="https://blog.example/sub/posts/b/#top">b</a><a href="HTTPS://BLOG.EXAMPLE/sub/">h</a><a href="https://blog.example/other/">o</a><a href="//cdn.example/x.js">c</a>')
    assert.equal(html, '<a href="../b/#top">b</a><a href="../../">h</a><a href="https://blog.example/other/">o</a><a href="//cdn.example/x.js">c</a>')
  })

  it('resolves links to a post\'s Markdown source to its page', () => {
    const content = '<a href="./b.md#s">b</a> <a href="../posts/b.md">b</a>'
    const { html } = rewrite(content, { content: { start: 0, end: content.length, sourceFile: 'posts/a.md' } })
    assert.equal(html, '<a href="../b/#s">b</a> <a href="../b/">b</a>')
  })

  it('resolves relative links in post content against the source file, then the page', () => {
    const content = '<img src="img.png" alt=""><a href="../b/">b</a>'
    const { html, broken } = rewrite(content, { content: { start: 0, end: content.length, sourceFile: 'posts/a.md' } })
    assert.equal(html, '<img src="../img.png" alt=""><a href="../b/">b</a>')
    assert.deepEqual(broken, [])
  })

  it('adds the trailing slash to a folder link and keeps query and fragment', () => {
    assert.equal(rewrite('<a href="/posts/b?x=1&amp;y=2#f">b</a>').html, '<a href="../b/?x=1&amp;y=2#f">b</a>')
  })

  it('rewrites every candidate of a srcset', () => {
    const { html } = rewrite('<img srcset="/assets/x.png 1x, /assets/x@2x.png 2x" src=/assets/x.png alt="">')
    assert.equal(html, '<img srcset="../../assets/x.png 1x, ../../assets/x@2x.png 2x" src="../../assets/x.png" alt="">')
  })

  it('leaves fragments, mailto and other schemes alone', () => {
    const input = '<a href="#x">x</a><a href="mailto:a@b.c">m</a><a href="ipfs://bafy">i</a><img src="data:image/png;base64,AA" alt="">'
    assert.deepEqual(rewrite(input), { html: input, broken: [] })
  })

  it('keeps canonical and hreflang links absolute but still checks them', () => {
    const input = '<link rel="canonical" href="https://blog.example/sub/posts/a/"><link rel="alternate" hreflang="fr" href="https://blog.example/sub/posts/zz/">'
    const { html, broken } = rewrite(input)
    assert.equal(html, input)
    assert.deepEqual(broken.map((b) => b.path), ['posts/zz/'])
  })

  it('percent-encodes and decodes paths', () => {
    assert.equal(rewrite('<a href="/tags/c%23/">c#</a>').html, '<a href="../../tags/c%23/">c#</a>')
  })

  it('reports broken links and missing assets with their offsets', () => {
    const input = '<p>\n<a href="/posts/zz/">z</a>\n<img src="/assets/none.png" alt=""></p>'
    const { broken } = rewrite(input)
    assert.deepEqual(
      broken.map((b) => [b.value, b.path, b.asset, lineAt(input, b.offset)]),
      [
        ['/posts/zz/', 'posts/zz/', false, 2],
        ['/assets/none.png', 'assets/none.png', true, 3],
      ],
    )
  })

  it('reports a link that climbs above the site root', () => {
    assert.deepEqual(rewrite('<a href="../../../x/">x</a>').broken.map((b) => b.path), ['../../../x/'])
  })

  it('writes absolute URLs in absolute mode (feeds)', () => {
    const content = '<a href="/posts/b/">b</a><img src="img.png" alt="">'
    const { html } = rewrite(content, { mode: 'absolute', content: { start: 0, end: content.length, sourceFile: 'posts/a.md' } })
    assert.equal(html, '<a href="https://blog.example/sub/posts/b/">b</a><img src="https://blog.example/sub/posts/img.png" alt="">')
  })
})

describe('relativeUrl', () => {
  it('walks up from the page folder and down to the target', () => {
    assert.equal(relativeUrl('index.html', 'tags/ipfs/'), './tags/ipfs/')
    assert.equal(relativeUrl('posts/x/index.html', 'assets/x.png'), '../../assets/x.png')
    assert.equal(relativeUrl('tags/ipfs/page/2/index.html', 'posts/x/'), '../../../../posts/x/')
    assert.equal(relativeUrl('posts/x/index.html', 'posts/x/'), './')
    assert.equal(relativeUrl('old.html', ''), './')
  })
})
