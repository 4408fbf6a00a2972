import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { html } from './helpers.ts'

describe('createMarkdownRenderer: [[toc]]', () => {
  it('lists h2 headings with their h3 headings nested, linking to the anchors', () => {
    const out = html('# Title\n\n[[toc]]\n\n## Install\n\n### On Linux\n\n### On macOS\n\n## Use\n\n#### Deep')
    assert.equal(
      out.slice(0, out.indexOf('<h2')),
      '<h1 id="title">Title</h1>\n' +
        '<nav class="table-of-contents" aria-label="Table of contents">\n<ul>\n' +
        '<li><a href="#install">Install</a>\n<ul>\n<li><a href="#on-linux">On Linux</a></li>\n<li><a href="#on-macos">On macOS</a></li>\n</ul>\n</li>\n' +
        '<li><a href="#use">Use</a></li>\n</ul>\n</nav>\n',
    )
  })

  it('uses the unique and custom ids the headings got', () => {
    const out = html('[[toc]]\n\n## FAQ\n\n## FAQ\n\n## Other {#else}')
    assert.match(out, /<li><a href="#faq">FAQ<\/a><\/li>\n<li><a href="#faq-1">FAQ<\/a><\/li>\n<li><a href="#else">Other<\/a><\/li>/)
  })

  it('puts an h3 that comes before any h2 at the top level', () => {
    const out = html('[[toc]]\n\n### Early\n\n## Later')
    assert.match(out, /<ul>\n<li><a href="#early">Early<\/a><\/li>\n<li><a href="#later">Later<\/a><\/li>\n<\/ul>/)
  })

  it('escapes heading text', () => {
    assert.match(html('[[TOC]]\n\n## a &lt; b'), /<a href="#a--b">a &lt; b<\/a>/)
  })

  it('renders nothing when the page has no h2 or h3', () => {
    assert.equal(html('[[toc]]\n\n# Only a title'), '<h1 id="only-a-title">Only a title</h1>\n')
  })

  it('is only a marker on a line of its own', () => {
    assert.equal(html('see [[toc]] here'), '<p>see [[toc]] here</p>\n')
    assert.equal(html('`[[toc]]`'), '<p><code>[[toc]]</code></p>\n')
  })
})
