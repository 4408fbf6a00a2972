import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { QuoteType, Tokenizer } from 'htmlparser2'
import { scanStartTags } from '../../src/render/html-scan.ts'

type Seen = [tag: string, name: string, value: string, quote: QuoteType][]

/** What htmlparser2's tokenizer (which the link pass used before) reports for the same page. */
function reference(html: string): Seen {
  const seen: Seen = []
  let tag = ''
  let current: { name: string; value: string } | undefined
  let attrs: Seen = []
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname: (s, e) => {
        tag = html.slice(s, e).toLowerCase()
        attrs = []
      },
      onattribname: (s, e) => {
        current = { name: html.slice(s, e).toLowerCase(), value: '' }
      },
      onattribdata: (s, e) => {
        if (current) current.value += html.slice(s, e)
      },
      onattribentity: (cp) => {
        if (current) current.value += String.fromCodePoint(cp)
      },
      onattribend: (quote) => {
        if (current) attrs.push([tag, current.name, current.value, quote])
        current = undefined
      },
      onopentagend: () => seen.push(...attrs, [tag, '', '', QuoteType.NoValue]),
      onselfclosingtag: () => seen.push(...attrs, [tag, '', '', QuoteType.NoValue]),
      oncdata() {},
      onclosetag() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  )
  tokenizer.write(html)
  tokenizer.end()
  return seen
}

function scanned(html: string): Seen {
  const seen: Seen = []
  scanStartTags(html, (tag, attrs, start, end) => {
    assert.equal(html[start], '<')
    assert.equal(html[end - 1], '>')
    for (const a of attrs) {
      seen.push([tag, a.name, a.value, a.quote])
      const raw = html.slice(a.start, a.end)
      if (a.quote !== QuoteType.NoValue && !raw.includes('&')) assert.equal(raw, a.value, 'the offsets span the value as written')
    }
    seen.push([tag, '', '', QuoteType.NoValue])
  })
  return seen
}

const PAGES = [
  '<!doctype html>\n<P CLASS=x  data-a = "1"><a  title="t"\n href=\'/posts/b/\' >b</a>',
  '<!-- <a href="/nope/"> --><script>let s = "<a href=\'/nope/\'>"</script><a href=/x>x</a>',
  '<style>a::after{content:"<a href=/no>"}</style ><TITLE><a href="/t"></title><img src=/i.png alt>',
  '<a href="/q?x=1&amp;y=2&lt;&#39;&copy" title=\'a&quot;b\'>q</a><a href=a&amp;b>u</a>',
  '<img srcset="/a.png 1x, /b.png 2x" src=/a.png alt=""/><br/><input disabled value=x>',
  '<![CDATA[ <a href="/c"> ]]><?pi <a href="/p"> ?></a href="/close"><a = href="/z">z</a>',
  '< a href="/not-a-tag"> 1 < 2 <a href="/after">a</a><textarea><a href="/in"></textarea>',
  '<svg><use xlink:href="/s.svg#i"/></svg><object data="/d.pdf"></object><a href="/cut',
  '<a href="/ok">ok</a><a href=\'/cut',
  '<xmp><a href="/x"></xmp><iframe src="/f.html"><a href="/in-iframe"></iframe><a href="/end">',
]

describe('scanStartTags', () => {
  for (const [i, page] of PAGES.entries()) {
    it(`finds the start tags and attributes htmlparser2's tokenizer finds (page ${i + 1})`, () => {
      assert.deepEqual(scanned(page), reference(page))
    })
  }
})

describe('scanStartTags with attribute names', () => {
  it('reports only the attributes asked for, at the same offsets', () => {
    const page = '<a class="x" HREF="/a?b&amp;c" title=\'t&quot;\'>a</a><img alt="" src=/i.png>'
    const all: string[] = []
    const some: string[] = []
    scanStartTags(page, (tag, attrs) => all.push(...attrs.filter((a) => a.name !== 'class' && a.name !== 'alt' && a.name !== 'title').map((a) => `${tag} ${a.name}=${a.value}@${a.start}`)))
    scanStartTags(page, (tag, attrs) => some.push(...attrs.map((a) => `${tag} ${a.name}=${a.value}@${a.start}`)), new Set(['href', 'src']))
    assert.deepEqual(some, all)
    assert.deepEqual(some, ['a href=/a?b&c@19', 'img src=/i.png@68'])
  })
})
