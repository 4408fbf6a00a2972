import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMarkdownRenderer } from '../../../src/render/markdown/index.ts'
import { render, resolveRef } from './helpers.ts'

const POST = `# Post :ferry:

[[toc]]

## Setup

Install it with \`npm\`, then read [the guide]({{< relref "other" >}}).

\`\`\`ts
const x: number = 1
\`\`\`

| a | b |
|---|---|
| 1 | 2 |

::: tip
Tip text.
:::

![img](a.png =10x10)

{{< youtube w7Ft2ymGmfc >}}

## Setup
`

describe('createMarkdownRenderer', () => {
  it('is deterministic: the same input gives byte-identical output, across instances', () => {
    const first = render(POST)
    const again = render(POST)
    const other = createMarkdownRenderer({}).render(POST, { file: 'posts/a.md', lineOffset: 0, resolveRef })
    assert.equal(again.html, first.html)
    assert.equal(other.html, first.html)
    assert.deepEqual(other, first)
  })

  it('keeps no state between documents', () => {
    const renderer = createMarkdownRenderer({})
    const env = { file: 'posts/b.md', lineOffset: 0, resolveRef }
    const broken = renderer.render('## Setup\n\n{{< nope >}}', env)
    const clean = renderer.render('## Setup', env)
    assert.equal(broken.errors.length, 1)
    assert.deepEqual(clean.errors, [])
    assert.equal(clean.html, '<h2 id="setup">Setup</h2>\n')
    assert.equal(renderer.render('x', { ...env, file: 'posts/c.md', lineOffset: 3 }).errors.length, 0)
    assert.equal(renderer.render('{{< nope >}}', { ...env, file: 'posts/c.md', lineOffset: 3 }).errors[0]?.file, 'posts/c.md')
  })

  it('returns the headings with their anchor ids', () => {
    assert.deepEqual(render(POST).headings, [
      { level: 1, text: 'Post ⛴️', id: 'post-' },
      { level: 2, text: 'Setup', id: 'setup' },
      { level: 2, text: 'Setup', id: 'setup-1' },
    ])
  })

  it('returns the plain text of the body, one block per line, without code or markup', () => {
    const result = render('# Title\n\nSome *em*,\n`code` and a [link](/x/).\nHard  \nbreak\n\n```\nskipped()\n```\n\n- item\n\n<div>raw</div>\n\n| h |\n|---|\n| c |')
    assert.equal(result.text, 'Title\nSome em, code and a link. Hard\nbreak\nitem\nh\nc')
  })

  it('defaults every option', () => {
    assert.equal(createMarkdownRenderer().render('a\nb', { file: 'x.md', lineOffset: 0, resolveRef }).html, '<p>a\nb</p>\n')
  })
})
