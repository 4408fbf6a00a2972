import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { html } from './helpers.ts'

describe('createMarkdownRenderer: emoji shortcodes', () => {
  it('replaces shortcodes from the full set', () => {
    assert.equal(html('Take the :ferry: to :sunrise_over_mountains: :+1:'), '<p>Take the ⛴️ to 🌄 👍</p>\n')
  })

  it('never replaces inside code spans or fenced code', () => {
    assert.equal(html('`:ferry:`'), '<p><code>:ferry:</code></p>\n')
    assert.equal(html('```\n:ferry:\n```'), '<pre><code>:ferry:\n</code></pre>\n')
  })

  it('keeps text emoticons and unknown names as written', () => {
    assert.equal(html('Nice :) and :-( and 8) and :not_an_emoji:'), '<p>Nice :) and :-( and 8) and :not_an_emoji:</p>\n')
  })
})
