import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { html } from './helpers.ts'

describe('createMarkdownRenderer: CommonMark and GFM', () => {
  it('renders paragraphs, emphasis, lists and blockquotes', () => {
    assert.equal(html('Some *em* and **strong**.\n\n- one\n- two\n\n> quoted'), '<p>Some <em>em</em> and <strong>strong</strong>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n')
  })

  it('renders GFM tables with alignment', () => {
    const out = html('| a | b |\n|:--|--:|\n| 1 | 2 |')
    assert.equal(out, '<table>\n<thead>\n<tr>\n<th style="text-align:left">a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td style="text-align:left">1</td>\n<td style="text-align:right">2</td>\n</tr>\n</tbody>\n</table>\n')
  })

  it('renders GFM strikethrough', () => {
    assert.equal(html('~~gone~~'), '<p><s>gone</s></p>\n')
  })

  it('passes raw HTML through unchanged', () => {
    const blocks = [
      '<p align="center"><img src="logo.png" width="200"></p>',
      '<iframe src="https://example.org/embed" width="560" height="315"></iframe>',
      '<div style="display:flex;gap:1em">\n<span>a</span>\n</div>',
    ]
    for (const block of blocks) assert.equal(html(`${block}\n`), `${block}\n`)
  })

  it('parses Markdown inside <details> after a blank line', () => {
    assert.equal(html('<details>\n<summary>More</summary>\n\n*inside*\n\n</details>\n'), '<details>\n<summary>More</summary>\n<p><em>inside</em></p>\n</details>\n')
  })

  it('keeps quotes and dashes as written (no typographer)', () => {
    assert.equal(html(`"quoted" -- 'single' ... (c)`), `<p>&quot;quoted&quot; -- 'single' ... (c)</p>\n`)
  })

  it('links full URLs in text but not file names that look like domains', () => {
    assert.equal(html('See https://example.org/x and README.md and node.js'), '<p>See <a href="https://example.org/x">https://example.org/x</a> and README.md and node.js</p>\n')
  })

  it('outputs links as written: site-absolute, relative and full URLs', () => {
    assert.equal(html('[a](/posts/x/) [b](../y/) [c](https://example.org/z?q=1#h)'), '<p><a href="/posts/x/">a</a> <a href="../y/">b</a> <a href="https://example.org/z?q=1#h">c</a></p>\n')
  })
})
