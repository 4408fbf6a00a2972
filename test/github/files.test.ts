import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { appendOutputs, deployOutputs, outputEntry } from '../../src/github/files.ts'
import { cell, code, link } from '../../src/github/markdown.ts'
import { parseOutputFile } from './actions-env.ts'
import { productionSummary } from './fixtures.ts'

describe('outputEntry', () => {
  it('writes the heredoc form with a random ghadelimiter_ delimiter', () => {
    const entry = outputEntry('cid', 'bafy')
    assert.match(entry, /^cid<<(ghadelimiter_[0-9a-f-]{36})\nbafy\n\1\n$/)
    assert.notEqual(outputEntry('cid', 'bafy'), entry, 'a new delimiter each time')
  })

  it('keeps multi-line values and lines that look like delimiters or other outputs inside the value', () => {
    const value = 'line one\nEOF\nurl=https://evil.example/\nghadelimiter_\n'
    assert.deepEqual(parseOutputFile(outputEntry('gateway-urls', value) + outputEntry('url', 'https://blog.example/')), {
      'gateway-urls': value,
      url: 'https://blog.example/',
    })
  })

  it('refuses an output name the runner would misread', () => {
    assert.throws(() => outputEntry('a=b', 'x'), TypeError)
    assert.throws(() => outputEntry('a<<b', 'x'), TypeError)
  })
})

describe('appendOutputs', () => {
  it('appends after what earlier steps wrote, and every output parses back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-outputs-'))
    try {
      const file = join(dir, 'output')
      await appendOutputs(file, { earlier: 'x' })
      const outputs = deployOutputs(productionSummary())
      await appendOutputs(file, outputs)
      assert.deepEqual(parseOutputFile(await readFile(file, 'utf8')), { earlier: 'x', ...outputs })
      assert.deepEqual(Object.keys(outputs).sort(), ['cid', 'dnslink', 'gateway-urls', 'ipns', 'kind', 'ok', 'site-url', 'url'])
      assert.equal(outputs.url, 'https://blog.example/')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('markdown escaping', () => {
  it('keeps a table cell on one line with its pipes and HTML inert', () => {
    assert.equal(cell('a | b\n<script>&'), 'a \\| b &lt;script&gt;&amp;')
  })

  it('fences a code span longer than any backtick run inside', () => {
    assert.equal(code('bafy'), '`bafy`')
    assert.equal(code('a`b'), '``a`b``')
    assert.equal(code('`x`'), '`` `x` ``')
  })

  it('links only http(s) URLs', () => {
    assert.equal(link('https://blog.example/a b'), '<https://blog.example/a%20b>')
    assert.equal(link('javascript:alert(1)'), '`javascript:alert(1)`')
  })
})
