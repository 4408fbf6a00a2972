import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAC_ROMAN, WINDOWS_1252 } from '../../../src/render/markdown/encoding/codepages.ts'
import { findMojibake } from '../../../src/render/markdown/encoding/mojibake.ts'
import { formatted, html, render } from './helpers.ts'

/** What a UTF-8 file looks like after being decoded with `codePage` and saved as UTF-8 again. */
function misencode(text: string, codePage: string): string {
  return new TextDecoder(codePage).decode(new TextEncoder().encode(text))
}

const PROSE = [
  'L’été à Paris — « déjà vu » … naïve café’s crème brûlée, Noël, où ça ?',
  '„Straße“ über Öl – Größe, ‚Äpfel‘ und »Grüße«, 20 °C, Maß.',
  '¿Qué tal? ¡Año nuevo! mañana, pingüino, “ESPAÑA”, CAFÉ”, AÑ”',
  'São Paulo, ação, coração, à toa, Avó’s.',
  'Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.',
  'Ţară şi împăraţi, și țară. Þórður Ægir Ðiðriksson. İstanbul’da ğüşöç.',
  'Ελληνικά κείμενα. Привет, мир — «ёлка». 日本語の文章。中文内容。 ✓ ★ → 🚢',
  'Prices: £5, €10, ¥100, 5 × 3 ÷ 2 ± 1, ½ ¼ ¾, © ® ™ § ¶ • ·',
]

describe('code pages', () => {
  it('match the WHATWG Windows-1252 and Macintosh decoders byte for byte', () => {
    const upper = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i)
    assert.equal(WINDOWS_1252, new TextDecoder('windows-1252').decode(upper))
    assert.equal(MAC_ROMAN, new TextDecoder('macintosh').decode(upper))
  })
})

describe('findMojibake', () => {
  it('finds and repairs UTF-8 read as Windows-1252', () => {
    const text = misencode('Un été “chaud” – très’', 'windows-1252')
    assert.equal(text, 'Un Ã©tÃ© â€œchaudâ€\u009d â€“ trÃ¨sâ€™')
    const { issues, repaired } = findMojibake(text)
    assert.equal(repaired, 'Un été “chaud” – très’')
    assert.deepEqual(issues, [{ line: 0, codePage: 'Windows-1252', found: text.slice(3), repaired: 'été “chaud” – très’' }])
  })

  it('finds and repairs UTF-8 read as Mac Roman', () => {
    const text = misencode('Déjà vu – þorn ’', 'macintosh')
    assert.equal(text, 'D√©j√† vu ‚Äì √æorn ‚Äô')
    assert.equal(findMojibake(text).repaired, 'Déjà vu – þorn ’')
    assert.equal(findMojibake(text).issues[0]?.codePage, 'Mac Roman')
  })

  it('repairs Cyrillic, Chinese and emoji text', () => {
    for (const original of ['Привет мир', '中文内容', 'ship 🚢 ahoy']) {
      assert.equal(findMojibake(misencode(original, 'windows-1252')).repaired, original)
    }
  })

  it('does not flag real text in European and other languages', () => {
    for (const line of PROSE) assert.deepEqual(findMojibake(line).issues, [], line)
  })

  it('repairs only the mis-encoded runs and reports one issue per line', () => {
    const { issues, repaired } = findMojibake('café ok\ncafÃ© bad\nplain\nnaÃ¯ve and crÃ¨me')
    assert.equal(repaired, 'café ok\ncafé bad\nplain\nnaïve and crème')
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.found, issue.repaired]),
      [
        [1, 'cafÃ©', 'café'],
        [3, 'naÃ¯ve and crÃ¨me', 'naïve and crème'],
      ],
    )
  })

  it('leaves sequences alone that would not decode to valid UTF-8', () => {
    // Ã then ASCII, an overlong lead (Á = 0xC1), a truncated three-byte sequence.
    assert.deepEqual(findMojibake('Ã a, Á©, â€ x').issues, [])
  })
})

describe('createMarkdownRenderer: mis-encoded text', () => {
  it('warns with file:line (plus lineOffset) naming the text and its likely repair', () => {
    const result = render('# Title\n\nFine text.\n\nThe cafÃ© was open.', {}, 3)
    assert.deepEqual(formatted(result.warnings), [
      'posts/a.md:8: mis-encoded text "cafÃ©" (UTF-8 read as Windows-1252), probably "café": re-save the file as UTF-8, or turn on repairEncoding',
    ])
    assert.deepEqual(result.errors, [])
    assert.equal(result.html, '<h1 id="title">Title</h1>\n<p>Fine text.</p>\n<p>The cafÃ© was open.</p>\n')
  })

  it('repairs the output with repairEncoding, still warning', () => {
    const result = render('## CafÃ©\n\nIt‚Äôs open.', { repairEncoding: true })
    assert.equal(result.html, '<h2 id="café">Café</h2>\n<p>It’s open.</p>\n')
    assert.equal(result.text, 'Café\nIt’s open.')
    assert.deepEqual(formatted(result.warnings), [
      'posts/a.md:1: mis-encoded text "CafÃ©" (UTF-8 read as Windows-1252), probably "Café": repaired in the output; re-save the file as UTF-8',
      'posts/a.md:3: mis-encoded text "It‚Äôs" (UTF-8 read as Mac Roman), probably "It’s": repaired in the output; re-save the file as UTF-8',
    ])
  })

  it('renders real accented prose without warnings', () => {
    assert.equal(html(PROSE.join('\n\n')).split('\n').length, PROSE.length + 1)
  })
})
