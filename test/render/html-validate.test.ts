import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HtmlValidate } from 'html-validate'
import { loadSite, renderSite } from '../../src/render/index.ts'
import { fixture, SITE_DIR } from './helpers.ts'

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // The templates write `<!doctype html>`, the spelling the HTML standard and most style
    // guides use; the doctype is case-insensitive, so keep the check but for lowercase.
    'doctype-style': ['error', { style: 'lowercase' }],
    // HTML5 ids only forbid whitespace (and the empty id); the strict mode's "begins with a
    // letter" is an HTML4 rule. Heading anchors such as `_redirects-file` (from a heading
    // "_redirects file", in the blogs fixture) are valid and must stay as written.
    'valid-id': ['error', { relaxed: true }],
  },
})

const decoder = new TextDecoder()

describe('renderSite HTML', () => {
  for (const [name, dir] of [
    ['the real site/', SITE_DIR],
    ['the blogs fixture', fixture('blogs')],
  ] as const) {
    it(`writes valid HTML5 for every page of ${name}`, async () => {
      const site = renderSite(await loadSite(dir))
      const problems: string[] = []
      let pages = 0
      for (const file of site.files) {
        if (!file.path.endsWith('.html') || !(file.content instanceof Uint8Array)) continue
        pages++
        const report = await validator.validateString(decoder.decode(file.content), file.path)
        for (const result of report.results) {
          for (const m of result.messages) problems.push(`${file.path}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`)
        }
      }
      assert.deepEqual(problems, [])
      assert.equal(pages, site.pages)
    })
  }

  it('catches invalid markup (the validator config is not toothless)', async () => {
    const report = await validator.validateString('<!DOCTYPE html><html><head><title>x</title></head><body><p><div></div></p></body></html>')
    assert.equal(report.valid, false)
  })
})
