import assert from 'node:assert/strict'
import { relative } from 'node:path'
import { before, describe, it } from 'node:test'
import { ConfigError, type Diagnostic, RenderError } from '../../src/errors.ts'
import { loadSite, renderSite, type SiteSource } from '../../src/render/index.ts'
import { fixture } from './helpers.ts'

/** Renders and returns the diagnostics of the RenderError it must throw. */
function problems(source: SiteSource): Diagnostic[] {
  try {
    renderSite(source)
  } catch (err) {
    assert.ok(err instanceof RenderError, `expected a RenderError, got ${String(err)}`)
    return err.diagnostics
  }
  assert.fail('the render should have failed')
}

describe('renderSite errors', () => {
  let base: SiteSource
  before(async () => {
    base = await loadSite(fixture('blogs'))
  })
  /** The fixture blog plus one post. */
  const withPost = (file: string, text: string): SiteSource => ({ ...base, posts: [...base.posts, { file, text }] })

  it('lists every problem of a site at once, each with file and line, sorted', async () => {
    const source = await loadSite(fixture('broken'))
    assert.deepEqual(problems(source), [
      { file: 'posts/alias.md', line: 4, message: "duplicate permalink '/posts/links/': also produced by posts/links.md:1" },
      { file: 'posts/bad-date.md', line: 3, message: "front matter: `date` must be YYYY-MM-DD, got '2023-13-02'" },
      { file: 'posts/dup-b.md', line: 4, message: "duplicate permalink '/same/': also produced by posts/dup-a.md:4" },
      {
        file: 'posts/header.md',
        line: 5,
        message:
          "front matter: `header_image` 'nothere.png' not found (looked for posts/nothere.png, assets/nothere.png, assets/images/nothere.png)",
      },
      { file: 'posts/links.md', line: 8, message: "broken link '/posts/nope/': nothing at /posts/nope/" },
      { file: 'posts/links.md', line: 10, message: "missing asset '../assets/missing.png': nothing at /assets/missing.png" },
    ])
  })

  it('formats the error message as file:line: message lines', async () => {
    const source = await loadSite(fixture('broken'))
    assert.throws(() => renderSite(source), (err: Error) => {
      assert.match(err.message, /^the site has 6 problems:\n {2}posts\/alias\.md:4: duplicate permalink/)
      assert.ok(err.message.includes("\n  posts/bad-date.md:3: front matter: `date` must be YYYY-MM-DD, got '2023-13-02'"))
      return true
    })
  })

  it('rejects an invalid date with the line of the date key, CRLF or not', () => {
    const text = '---\r\ntitle: A\r\ndate: 2023-02-30\r\n---\r\nbody\r\n'
    assert.deepEqual(problems(withPost('posts/a.md', text)), [
      { file: 'posts/a.md', line: 3, message: "front matter: `date` must be YYYY-MM-DD, got '2023-02-30'" },
    ])
  })

  it('reports a link in raw HTML of a post at its source line', () => {
    const text = '---\ntitle: A\ndate: 2023-01-01\n---\n\nIntro.\n\n<p><a href="/posts/gone/">gone</a></p>\n'
    assert.deepEqual(problems(withPost('posts/a.md', text)), [
      { file: 'posts/a.md', line: 8, message: "broken link '/posts/gone/': nothing at /posts/gone/" },
    ])
  })

  it('reports a link to the base URL that points at nothing', () => {
    const text = '---\ntitle: A\ndate: 2023-01-01\n---\n[x](https://fixture.example/blog/posts/gone/)\n'
    assert.deepEqual(problems(withPost('posts/a.md', text)), [
      {
        file: 'posts/a.md',
        line: 5,
        message: "broken link 'https://fixture.example/blog/posts/gone/': nothing at /posts/gone/",
      },
    ])
  })

  it('reports a post whose permalink is an alias of another', () => {
    const text = '---\ntitle: A\ndate: 2023-01-01\npermalink: /old/pinning/\n---\nx\n'
    assert.deepEqual(problems(withPost('posts/a.md', text)), [
      { file: 'posts/hugo-pinning.md', line: 7, message: "duplicate permalink '/old/pinning/': also produced by posts/a.md:4" },
    ])
  })

  it('reports a post that would overwrite a generated page', () => {
    const text = '---\ntitle: A\ndate: 2023-01-01\nurl: /tags/\n---\nx\n'
    assert.deepEqual(problems(withPost('posts/a.md', text)), [
      { file: 'posts/a.md', line: 4, message: "duplicate permalink '/tags/': also produced by the tags index" },
    ])
  })

  it('reports YAML syntax errors at their line', () => {
    const text = '---\ntitle: A\ntags: [a, b\ndate: 2023-01-01\n---\nx\n'
    const [d] = problems(withPost('posts/a.md', text))
    assert.equal(d?.file, 'posts/a.md')
    assert.ok(d?.line === 4 || d?.line === 5, `line ${d?.line}`)
    assert.match(d?.message ?? '', /^front matter: /)
  })

  it('reports a missing date', () => {
    assert.deepEqual(problems(withPost('posts/a.md', '---\ntitle: A\n---\nx\n')), [
      { file: 'posts/a.md', line: 1, message: 'front matter: `date` is missing: add `date: YYYY-MM-DD`' },
    ])
  })

  it('reports a broken link in a template once, at the page line, counting the other pages', () => {
    const templates = base.templates.map((t) =>
      t.file === 'templates/base.eta' ? { ...t, text: t.text.replace('<main id="main"', '<a href="/nope/">x</a>\n<main id="main"') } : t,
    )
    const found = problems({ ...base, templates })
    assert.equal(found.length, 1)
    // The newest post is the first page rendered with the base layout.
    assert.equal(found[0]!.file, 'posts/gateways/index.html')
    assert.match(found[0]!.message, /^broken link '\/nope\/': nothing at \/nope\/ \(and on \d+ more pages\)$/)
    assert.equal(typeof found[0]!.line, 'number')
  })
})

describe('loadSite errors', () => {
  it('names the file and the option of a bad site config', async () => {
    const file = relative(process.cwd(), `${fixture('bad-config')}site.config.json`)
    await assert.rejects(loadSite(fixture('bad-config')), (err: Error) => {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.message, `${file}: \`baseUrl\` must be an absolute http(s) URL such as https://blog.example/, got 'blog.example'`)
      return true
    })
  })

  it('says when the site folder does not exist', async () => {
    await assert.rejects(loadSite(fixture('no-such-site')), /site folder not found/)
  })
})
