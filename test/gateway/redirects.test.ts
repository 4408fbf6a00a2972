import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { matchRedirect, parseRedirects } from '../../src/gateway/redirects.ts'

/** The spec's example file (ipfs/specs web-redirects-file, "Test fixtures"). */
const SPEC_EXAMPLE = `/redirect-one /one.html
/301-redirect-one /one.html 301
/302-redirect-two /two.html 302
/200-index /index.html 200
/posts/:year/:month/:day/:title /articles/:year/:month/:day/:title 301
/splat/* /redirected-splat/:splat 301
/not-found/* /404.html 404
/gone/* /410.html 410
/unavail/* /451.html 451
/* /index.html 200
`

const match = (text: string, path: string, query = '') =>
  matchRedirect(parseRedirects(text), path.split('/').filter(Boolean), new URLSearchParams(query))

describe('parseRedirects / matchRedirect', () => {
  it('evaluates the spec’s example in order, first match winning', () => {
    const cases: Array<[string, number, string]> = [
      ['/redirect-one', 301, '/one.html'],
      ['/302-redirect-two', 302, '/two.html'],
      ['/200-index', 200, '/index.html'],
      ['/posts/2022/06/15/hello-world', 301, '/articles/2022/06/15/hello-world'],
      ['/splat/one/two', 301, '/redirected-splat/one/two'],
      ['/not-found/x', 404, '/404.html'],
      ['/gone/x', 410, '/410.html'],
      ['/unavail/x', 451, '/451.html'],
      ['/anything/else', 200, '/index.html'],
    ]
    for (const [path, status, location] of cases) {
      const m = match(SPEC_EXAMPLE, path)
      assert.deepEqual([m?.status, m?.location], [status, location], path)
    }
  })

  it('ignores comments, blank lines, surrounding whitespace and CRLF', () => {
    const rules = parseRedirects('# comment\r\n\r\n   /a   /b   302  \r\n\t# another\n')
    assert.equal(rules.length, 1)
    assert.deepEqual([rules[0]?.from, rules[0]?.to, rules[0]?.status], ['/a', '/b', 302])
  })

  it('lets the request’s query override the target’s static one (the spec’s query vector)', () => {
    const text = `/source1/* /target-file?static-query1=static-val1&static-query2=static-val2 301
/source2/:code/:name /target-file?code=:code&name=:name 301
/source3/* https://example.net/target3/:splat 301`
    assert.equal(match(text, '/source1/x', 'static-query1=mine&a=b')?.location, '/target-file?static-query2=static-val2&static-query1=mine&a=b')
    assert.equal(match(text, '/source2/200/ok')?.location, '/target-file?code=200&name=ok')
    assert.equal(match(text, '/source3/a/b', 'q=1')?.location, 'https://example.net/target3/a/b?q=1')
  })

  it('moves placeholders to where the target names them (the spec’s placeholder example)', () => {
    const rule = '/posts/:month/:day/:year/:slug  /articles/:year/:month/:day/:slug'
    assert.equal(match(rule, '/posts/06/15/2022/hello-world')?.location, '/articles/2022/06/15/hello-world')
  })

  it('percent-encodes what placeholders carry into the target', () => {
    assert.equal(match('/p/:name /q/:name', '/p/a b?c')?.location, '/q/a%20b%3Fc')
  })

  it('matches a placeholder only against a whole segment, and nothing without a rule', () => {
    assert.equal(match('/a/:x /b', '/a/1/2'), undefined)
    assert.equal(match('/a /b', '/b'), undefined)
  })

  it('rejects invalid files with the line at fault', () => {
    const bad: Array<[string, RegExp]> = [
      ['/a', /line 1: a rule needs a from path and a to path/],
      ['a /b', /line 1: the from path must start with \//],
      ['/a b', /line 1: the to path must start with \/ or be an http\(s\) URL/],
      ['/a /b 299', /line 1: status 299 is not one of/],
      ['/a /b 301!', /line 1: '301!' is not a status code/],
      ['\n/a /b 301 Country=us', /line 2: expected "from to \[status\]"/],
      ['/:x/:x /b', /line 1: placeholder :x is used twice/],
      ['/a https://example.net 200', /line 1: a 200 rewrite must point at a path/],
    ]
    for (const [text, message] of bad) assert.throws(() => parseRedirects(text), message, text)
  })
})
