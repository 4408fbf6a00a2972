import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { html } from './helpers.ts'

describe('createMarkdownRenderer: images', () => {
  it('reads =WIDTHx as a width', () => {
    assert.equal(html('![A ship](ship.png =400x)'), '<p><img src="ship.png" alt="A ship" width="400" loading="lazy" decoding="async"></p>\n')
  })

  it('reads =WIDTHxHEIGHT and =xHEIGHT', () => {
    assert.equal(html('![a](a.png =400x300)'), '<p><img src="a.png" alt="a" width="400" height="300" loading="lazy" decoding="async"></p>\n')
    assert.equal(html('![b](b.png =x300)'), '<p><img src="b.png" alt="b" height="300" loading="lazy" decoding="async"></p>\n')
  })

  it('reads a title after the size, and markup in the alt text', () => {
    assert.equal(
      html('![*Big* ship](/img/ship.png =640x480 "The ferry")'),
      '<p><img src="/img/ship.png" alt="Big ship" title="The ferry" width="640" height="480" loading="lazy" decoding="async"></p>\n',
    )
  })

  it('makes every Markdown image lazy and asynchronously decoded', () => {
    assert.equal(html('![plain](p.png) ![titled](t.png "T")'), '<p><img src="p.png" alt="plain" loading="lazy" decoding="async"> <img src="t.png" alt="titled" title="T" loading="lazy" decoding="async"></p>\n')
  })

  it('works for reference images too', () => {
    assert.equal(html('![ref][logo]\n\n[logo]: /logo.svg'), '<p><img src="/logo.svg" alt="ref" loading="lazy" decoding="async"></p>\n')
  })

  it('does not treat a size without digits, or one glued to the URL, as a size', () => {
    assert.equal(html('![a](a.png =x)'), '<p>![a](a.png =x)</p>\n')
    assert.equal(html('![a](a.png=400x)'), '<p><img src="a.png=400x" alt="a" loading="lazy" decoding="async"></p>\n')
  })

  it('leaves raw HTML images as written', () => {
    assert.equal(html('<img src="raw.png" width="10">\n'), '<img src="raw.png" width="10">\n')
  })

  it('keeps links around sized images', () => {
    assert.equal(html('[![a](a.png =20x20)](/big.png)'), '<p><a href="/big.png"><img src="a.png" alt="a" width="20" height="20" loading="lazy" decoding="async"></a></p>\n')
  })
})
