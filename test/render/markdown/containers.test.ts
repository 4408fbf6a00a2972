import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { html } from './helpers.ts'

describe('createMarkdownRenderer: ::: containers', () => {
  it('renders ::: callout and ::: right as divs with that class', () => {
    assert.equal(html('::: callout\nNote *this*.\n:::'), '<div class="callout">\n<p>Note <em>this</em>.</p>\n</div>\n')
    assert.equal(html('::: right\n![x](x.png)\n:::'), '<div class="right">\n<p><img src="x.png" alt="x" loading="lazy" decoding="async"></p>\n</div>\n')
  })

  it('shows a title written after the container name', () => {
    assert.equal(html('::: callout Heads up <b>\nBody\n:::'), '<div class="callout">\n<p class="callout-title">Heads up &lt;b&gt;</p>\n<p>Body</p>\n</div>\n')
  })

  it('renders VuePress tip, warning and danger as titled callouts', () => {
    assert.equal(html('::: tip\nBody\n:::'), '<div class="callout tip">\n<p class="callout-title">Tip</p>\n<p>Body</p>\n</div>\n')
    assert.equal(html('::: warning Careful\nBody\n:::'), '<div class="callout warning">\n<p class="callout-title">Careful</p>\n<p>Body</p>\n</div>\n')
    assert.equal(html(':::danger\nBody\n:::'), '<div class="callout danger">\n<p class="callout-title">Danger</p>\n<p>Body</p>\n</div>\n')
  })

  it('renders ::: details Title as <details> with a summary', () => {
    assert.equal(html('::: details Show the code\n```\nx\n```\n:::'), '<details class="details">\n<summary>Show the code</summary>\n<pre><code>x\n</code></pre>\n</details>\n')
    assert.equal(html('::: details\nHidden\n:::'), '<details class="details">\n<summary>Details</summary>\n<p>Hidden</p>\n</details>\n')
  })

  it('closes nested containers with the right tags', () => {
    const out = html(':::: details Outer\n::: tip\nIn\n:::\nAfter\n::::')
    assert.equal(out, '<details class="details">\n<summary>Outer</summary>\n<div class="callout tip">\n<p class="callout-title">Tip</p>\n<p>In</p>\n</div>\n<p>After</p>\n</details>\n')
  })

  it('leaves unknown container names as text', () => {
    assert.equal(html('::: spoiler\nBody\n:::'), '<p>::: spoiler\nBody\n:::</p>\n')
  })
})
