import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatted, render } from './helpers.ts'

const DOCUMENT = [
  '# Title', // 1
  '', // 2
  'A paragraph that', // 3
  'runs on {{< one >}} and', // 4
  'on @[youtube](bad).', // 5
  '', // 6
  '- item', // 7
  '  - nested {{< two >}}', // 8
  '', // 9
  '| a | b |', // 10
  '|---|---|', // 11
  '| 1 | 2 |', // 12
  '| 3 | {{< three >}} |', // 13
  '', // 14
  '::: tip', // 15
  '> quote', // 16
  '> [x]({{< ref "gone" >}})', // 17
  ':::', // 18
  '', // 19
  '```', // 20
  '{{< in-code >}}', // 21
  '```', // 22
  '{{< four >}}', // 23
  'CafÃ© {{< five >}}', // 24
].join('\n')

function lineNumbers(result: ReturnType<typeof render>): number[] {
  return [...result.errors, ...result.warnings].map((d) => d.line ?? -1).sort((a, b) => a - b)
}

describe('createMarkdownRenderer: diagnostic lines', () => {
  it('gives the line in the file of every problem, in nested blocks too', () => {
    assert.deepEqual(lineNumbers(render(DOCUMENT)), [4, 5, 8, 13, 17, 23, 24, 24])
  })

  it('adds env.lineOffset (the front matter lines)', () => {
    assert.deepEqual(lineNumbers(render(DOCUMENT, {}, 12)), [16, 17, 20, 25, 29, 35, 36, 36])
  })

  it('sorts diagnostics by line', () => {
    const lines = render(DOCUMENT).errors.map((d) => d.line ?? 0)
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b))
  })

  it('gives the same output and lines for Windows line endings', () => {
    const unix = render(DOCUMENT, {}, 2)
    const windows = render(DOCUMENT.replace(/\n/g, '\r\n'), {}, 2)
    assert.equal(windows.html, unix.html)
    assert.equal(windows.text, unix.text)
    assert.deepEqual(windows.headings, unix.headings)
    assert.deepEqual(formatted(windows.errors), formatted(unix.errors))
    assert.deepEqual(formatted(windows.warnings), formatted(unix.warnings))
    assert.doesNotMatch(windows.html, /\r/)
  })

  it('reads old Mac line endings (lone CR) as well', () => {
    assert.equal(render('a\rb\r\r{{< x >}}').errors[0]?.line, 4)
  })
})

describe('createMarkdownRenderer: breaks option', () => {
  it('keeps single newlines as soft breaks by default', () => {
    assert.equal(render('one\ntwo').html, '<p>one\ntwo</p>\n')
  })

  it('turns single newlines into <br> with breaks: true, CRLF included', () => {
    assert.equal(render('one\ntwo', { breaks: true }).html, '<p>one<br>\ntwo</p>\n')
    assert.equal(render('one\r\ntwo\r\n\r\nthree', { breaks: true }).html, '<p>one<br>\ntwo</p>\n<p>three</p>\n')
  })
})
