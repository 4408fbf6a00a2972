import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatted, html, render } from './helpers.ts'

const POSTER_START = '<a class="video-embed video-embed-youtube" href="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc?autoplay=1" rel="noopener">'

describe('createMarkdownRenderer: Hugo youtube and vimeo', () => {
  it('renders {{< youtube ID >}} and the id="ID" form as a local poster block', () => {
    for (const source of ['{{< youtube w7Ft2ymGmfc >}}', '{{< youtube id="w7Ft2ymGmfc" >}}', '{{% youtube w7Ft2ymGmfc %}}']) {
      assert.ok(html(source).startsWith(POSTER_START), source)
      assert.match(html(source), /<\/a>\n$/)
    }
  })

  it('uses the title in the label', () => {
    assert.match(html('{{< youtube id="w7Ft2ymGmfc" title="Release <party>" >}}'), /<span class="video-embed-label">Release &lt;party&gt; \(play on YouTube\)<\/span>/)
  })

  it('renders {{< vimeo ID >}} with the Vimeo player URL', () => {
    assert.match(html('{{< vimeo 146022717 >}}'), /^<a class="video-embed video-embed-vimeo" href="https:\/\/player\.vimeo\.com\/video\/146022717" rel="noopener">/)
  })

  it('reports a bad or missing id with file and line', () => {
    const result = render('# T\n\n{{< youtube nope >}}\n\n{{< vimeo >}}', {}, 10)
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:13: invalid YouTube video "nope": expected an 11-character id (letters, digits, _ and -) or a youtube.com/youtu.be video URL',
      'posts/a.md:15: Hugo "vimeo" shortcode without a video id: write {{< vimeo VIDEO_ID >}}',
    ])
  })
})

describe('createMarkdownRenderer: Hugo figure', () => {
  it('renders a figure with the caption as Markdown', () => {
    assert.equal(
      html('{{< figure src="/img/ferry.jpg" alt="A ferry" caption="Leaving *Helsinki*" >}}'),
      '<figure><img src="/img/ferry.jpg" alt="A ferry" loading="lazy" decoding="async"><figcaption><p>Leaving <em>Helsinki</em></p></figcaption></figure>\n',
    )
  })

  it('supports link, title, class, size and attribution', () => {
    assert.equal(
      html('{{< figure src="a.png" link="/big/" class="wide" width="300" title="T" caption="C" attr="Ann" attrlink="https://ann.example/" >}}'),
      '<figure class="wide"><a href="/big/"><img src="a.png" alt="C" width="300" loading="lazy" decoding="async"></a>' +
        '<figcaption><h4>T</h4><p>C <a href="https://ann.example/">Ann</a></p></figcaption></figure>\n',
    )
  })

  it('renders without a figcaption when there is no caption', () => {
    assert.equal(html('{{< figure src="a.png" >}}'), '<figure><img src="a.png" alt="" loading="lazy" decoding="async"></figure>\n')
  })

  it('reports a figure without src', () => {
    assert.deepEqual(formatted(render('\n{{< figure caption="x" >}}').errors), ['posts/a.md:2: Hugo "figure" shortcode without src: write {{< figure src="image.png" >}}'])
  })
})

describe('createMarkdownRenderer: Hugo highlight', () => {
  it('renders {{< highlight lang >}} ... {{< /highlight >}} as highlighted code, not Markdown', () => {
    assert.equal(
      html('{{< highlight go "linenos=table" >}}\nfunc main() {} // *not em*\n{{< /highlight >}}\n\nafter'),
      '<pre class="hljs"><code class="language-go"><span class="hljs-function"><span class="hljs-keyword">func</span> <span class="hljs-title">main</span><span class="hljs-params">()</span></span> {} <span class="hljs-comment">// *not em*</span>\n</code></pre>\n<p>after</p>\n',
    )
  })

  it('accepts {{% %}} delimiters and an unknown language', () => {
    assert.equal(html('{{% highlight nosuch %}}\n<b>\n{{% /highlight %}}'), '<pre><code class="language-nosuch">&lt;b&gt;\n</code></pre>\n')
  })

  it('reports a highlight that is never closed', () => {
    const result = render('{{< highlight go >}}\ncode')
    assert.deepEqual(formatted(result.errors), ['posts/a.md:1: Hugo "highlight" shortcode is never closed: add {{< /highlight >}} on a line of its own after the code'])
  })

  it('reports a highlight inside a paragraph and a closing tag without an opening', () => {
    const result = render('text {{< highlight go >}} more\n\n{{< /highlight >}}')
    assert.deepEqual(formatted(result.errors), [
      'posts/a.md:1: Hugo "highlight" shortcode must be on a line of its own, and so must its {{< /highlight >}}',
      'posts/a.md:3: "{{< /highlight >}}" closes a shortcode that was never opened',
    ])
  })
})
