import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseShortcode } from '../../../src/render/markdown/hugo/parse.ts'

function parsed(src: string) {
  const result = parseShortcode(src, 0)
  if (result?.kind !== 'shortcode') assert.fail(`not a shortcode: ${JSON.stringify(result)}`)
  return { ...result.shortcode, named: Object.fromEntries(result.shortcode.named), end: result.end }
}

describe('parseShortcode', () => {
  it('reads positional parameters: bare, quoted with escapes, and raw', () => {
    assert.deepEqual(parsed('{{< highlight go "linenos=table,hl_lines=2" >}}').positional, ['go', 'linenos=table,hl_lines=2'])
    assert.deepEqual(parsed('{{< x "say \\"hi\\"" `raw "quotes"` >}}').positional, ['say "hi"', 'raw "quotes"'])
  })

  it('reads named parameters, quoted or not, over several lines', () => {
    const shortcode = parsed('{{< figure\n  src="/a b.png"\n  width=300\n  caption="A >}} inside" >}} after')
    assert.deepEqual(shortcode.named, { src: '/a b.png', width: '300', caption: 'A >}} inside' })
    assert.equal(shortcode.end, '{{< figure\n  src="/a b.png"\n  width=300\n  caption="A >}} inside" >}}'.length)
  })

  it('reads {{% %}} delimiters, closing and self-closing forms', () => {
    assert.deepEqual(parsed('{{% youtube abc %}}').delimiter, '%')
    assert.equal(parsed('{{< /highlight >}}').closing, true)
    assert.equal(parsed('{{<youtube abc/>}}').positional[0], 'abc')
  })

  it('turns the commented form into the literal shortcode', () => {
    assert.deepEqual(parseShortcode('{{</* youtube abc */>}}!', 0), { kind: 'literal', text: '{{< youtube abc >}}', end: 23 })
  })

  it('reports unterminated and malformed shortcodes, skipping only the opening', () => {
    assert.deepEqual(parseShortcode('{{< youtube abc', 0), { kind: 'malformed', reason: 'unterminated Hugo shortcode "youtube": end it with ">}}"', end: 3 })
    assert.equal(parseShortcode('{{< >}}', 0)?.kind, 'malformed')
    assert.equal(parseShortcode('{{< x "open >}}', 0)?.kind, 'malformed')
  })

  it('stops an unterminated shortcode at the next opening, since shortcodes do not nest', () => {
    assert.deepEqual(parseShortcode('{{< a "x {{< b >}}', 0)?.kind, 'malformed')
    assert.deepEqual(parseShortcode('{{< a x {{% b %}}', 0)?.kind, 'malformed')
  })

  it('does not read past the given end', () => {
    assert.equal(parseShortcode('{{< a >}}', 0, 6)?.kind, 'malformed')
  })

  it('ignores text that is not a shortcode', () => {
    assert.equal(parseShortcode('{{ .Title }}', 0), undefined)
    assert.equal(parseShortcode('{ {< x >}}', 0), undefined)
  })
})
