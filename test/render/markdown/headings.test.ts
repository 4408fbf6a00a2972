import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { githubSlug } from '../../../src/render/markdown/slug.ts'
import { html, render } from './helpers.ts'

describe('githubSlug', () => {
  it('lowercases, drops punctuation and turns spaces into hyphens like GitHub', () => {
    assert.equal(githubSlug('Hello, World!'), 'hello-world')
    assert.equal(githubSlug('What is `npx`? (2024 edition)'), 'what-is-npx-2024-edition')
    assert.equal(githubSlug('snake_case and kebab-case'), 'snake_case-and-kebab-case')
  })

  it('keeps letters of every script', () => {
    assert.equal(githubSlug('Über die Straße'), 'über-die-straße')
    assert.equal(githubSlug('Привет мир'), 'привет-мир')
    assert.equal(githubSlug('日本語の見出し'), '日本語の見出し')
  })

  it('drops emoji with their joiners and variation selectors', () => {
    assert.equal(githubSlug('Ship it ⛴️ now'), 'ship-it--now')
    assert.equal(githubSlug('Pride 🏳️‍🌈'), 'pride-')
  })

  it('gives headings without letters or digits a usable id', () => {
    assert.equal(githubSlug('???'), 'section')
  })
})

describe('createMarkdownRenderer: heading anchors', () => {
  it('gives every heading an id without tabindex', () => {
    assert.equal(html('## Getting started'), '<h2 id="getting-started">Getting started</h2>\n')
  })

  it('makes repeated slugs unique with -1, -2 suffixes', () => {
    const out = html('## Setup\n\n## Setup\n\n## Setup')
    assert.equal(out, '<h2 id="setup">Setup</h2>\n<h2 id="setup-1">Setup</h2>\n<h2 id="setup-2">Setup</h2>\n')
  })

  it('starts every document with a fresh set of slugs', () => {
    assert.equal(html('## Setup'), '<h2 id="setup">Setup</h2>\n')
    assert.equal(html('## Setup'), '<h2 id="setup">Setup</h2>\n')
  })

  it('uses a {#custom-id} written after the heading and removes it from the text', () => {
    const result = render('## Install the tool {#install}\n\n## Install')
    assert.equal(result.html, '<h2 id="install">Install the tool</h2>\n<h2 id="install-1">Install</h2>\n')
    assert.deepEqual(result.headings, [
      { level: 2, text: 'Install the tool', id: 'install' },
      { level: 2, text: 'Install', id: 'install-1' },
    ])
  })

  it('uses the text of code, links and emoji in the slug and heading text', () => {
    const result = render('# The `render()` [API](/api/) :ferry:')
    assert.equal(result.html, '<h1 id="the-render-api-">The <code>render()</code> <a href="/api/">API</a> ⛴️</h1>\n')
    assert.deepEqual(result.headings, [{ level: 1, text: 'The render() API ⛴️', id: 'the-render-api-' }])
  })

  it('collects headings of every level in document order', () => {
    const result = render('# One\n\ntext\n\n### Three\n\n## Two\n\nSetext\n------\n\n> #### Quoted')
    assert.deepEqual(
      result.headings.map((h) => [h.level, h.id]),
      [
        [1, 'one'],
        [3, 'three'],
        [2, 'two'],
        [2, 'setext'],
        [4, 'quoted'],
      ],
    )
  })
})
