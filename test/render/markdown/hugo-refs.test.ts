import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatted, html, render } from './helpers.ts'

describe('createMarkdownRenderer: Hugo ref and relref', () => {
  it('resolves a relref or ref link destination through env.resolveRef', () => {
    assert.equal(html('[other]({{< relref "posts/other.md" >}})'), '<p><a href="/posts/other/">other</a></p>\n')
    assert.equal(html('[other]({{< ref "other" >}} "Title")'), '<p><a href="/posts/other/" title="Title">other</a></p>\n')
    assert.equal(html('[other]({{% relref "other" %}})'), '<p><a href="/posts/other/">other</a></p>\n')
  })

  it('keeps an anchor, and resolves a bare anchor to the same page', () => {
    assert.equal(html('[s]({{< relref "posts/other.md#setup" >}}) [t]({{< ref "#top" >}})'), '<p><a href="/posts/other/#setup">s</a> <a href="#top">t</a></p>\n')
  })

  it('accepts the named path= form and percent-encodes the resolved URL', () => {
    assert.equal(html('[é]({{< relref path="posts/été.md" >}})'), '<p><a href="/posts/%C3%A9t%C3%A9/">é</a></p>\n')
  })

  it('resolves refs in reference definitions, in text and in raw HTML', () => {
    assert.equal(html('[x][o]\n\n[o]: {{< relref "other" >}}'), '<p><a href="/posts/other/">x</a></p>\n')
    assert.equal(html('URL: {{< ref "other" >}}'), '<p>URL: /posts/other/</p>\n')
    assert.equal(html('See <a href="{{< relref "other" >}}">it</a>.'), '<p>See <a href="/posts/other/">it</a>.</p>\n')
    assert.equal(html('<p><a href="{{< relref "other" >}}">it</a></p>\n'), '<p><a href="/posts/other/">it</a></p>\n')
  })

  it('reports an unknown target with the file line of the link', () => {
    const result = render('# Title\n\nA paragraph\nthat goes on and links [gone]({{< relref "posts/gone.md" >}}) here.', {}, 6)
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:10: Hugo "relref" target "posts/gone.md" matches no page: check the path (relative to the site folder, e.g. "posts/other.md")',
    ])
    assert.equal(result.html, '<h1 id="title">Title</h1>\n<p>A paragraph\nthat goes on and links <a href="">gone</a> here.</p>\n')
  })

  it('reports unknown targets in text and raw HTML with their lines', () => {
    const result = render('one\n{{< ref "nope" >}}\n\n<div>\n<a href="{{< relref "gone" >}}">x</a>\n</div>\n')
    assert.deepEqual(formatted(result.errors).map((line) => line.slice(0, line.indexOf(' matches'))), [
      'posts/a.md:2: Hugo "ref" target "nope"',
      'posts/a.md:5: Hugo "relref" target "gone"',
    ])
  })

  it('reports a ref without a target', () => {
    assert.deepEqual(formatted(render('[x]({{< ref >}})').errors), ['posts/a.md:1: Hugo "ref" shortcode without a target: write {{< ref "posts/other.md" >}}'])
  })
})
