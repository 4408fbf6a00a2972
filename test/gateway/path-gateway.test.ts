import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { get, type Served, serveSite } from './fixture.ts'

const IMMUTABLE = 'public, max-age=29030400, immutable'
/** A well-formed CID (the spec's example) that this node does not have. */
const ABSENT = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'

let site: Served
const cid = (path: string) => site.cids.get(path)!.toString()

before(async () => {
  site = await serveSite()
})
after(() => site.stop())

describe('createGateway: path gateway', () => {
  it('serves a directory’s index.html with immutable caching, a CID ETag and the IPFS headers', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/posts/hello/`)
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(r.text, /Hello post/)
    assert.equal(r.headers['cache-control'], IMMUTABLE)
    assert.equal(r.headers.etag, `"${cid('posts/hello/index.html')}"`)
    assert.equal(r.headers['x-ipfs-path'], `/ipfs/${site.root}/posts/hello/`)
    assert.equal(r.headers['x-ipfs-roots'], [site.root, cid('posts'), cid('posts/hello')].join(','))
    assert.equal(r.headers['content-length'], String(r.body.length))
  })

  it('redirects a directory without its trailing slash with 301, keeping the query', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/posts?x=1`)
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, `/ipfs/${site.root}/posts/?x=1`)
    const root = await get(site.port, `/ipfs/${site.root}`)
    assert.equal(root.status, 301)
    assert.equal(root.headers.location, `/ipfs/${site.root}/`)
  })

  it('stays a path gateway on 127.0.0.1: no redirect to a subdomain', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/`)
    assert.equal(r.status, 200)
    assert.match(r.text, /<title>Home<\/title>/)
  })

  it('takes Content-Type from the extension', async () => {
    const expected: Record<string, string> = {
      'assets/style.css': 'text/css; charset=utf-8',
      'posts/hello/header.png': 'image/png',
      'docs/readme.txt': 'text/plain; charset=utf-8',
      'media/video.mp4': 'video/mp4',
    }
    for (const [path, type] of Object.entries(expected)) {
      const r = await get(site.port, `/ipfs/${site.root}/${path}`, { method: 'HEAD' })
      assert.equal(r.headers['content-type'], type, path)
    }
  })

  it('sniffs Content-Type when the name has no extension', async () => {
    const expected: Record<string, string> = {
      'assets/logo': 'image/png',
      'assets/notes': 'text/plain; charset=utf-8',
      'assets/data': 'application/json',
      'assets/page': 'text/html; charset=utf-8',
    }
    for (const [path, type] of Object.entries(expected)) {
      const r = await get(site.port, `/ipfs/${site.root}/${path}`)
      assert.equal(r.status, 200, path)
      assert.equal(r.headers['content-type'], type, path)
    }
    const bare = await get(site.port, `/ipfs/${cid('assets/logo')}`)
    assert.equal(bare.headers['content-type'], 'image/png')
  })

  it('answers 304 without a body when If-None-Match has the ETag', async () => {
    const first = await get(site.port, `/ipfs/${site.root}/assets/style.css`)
    const again = await get(site.port, `/ipfs/${site.root}/assets/style.css`, { headers: { 'if-none-match': `W/"x", ${first.headers.etag}` } })
    assert.equal(again.status, 304)
    assert.equal(again.body.length, 0)
    assert.equal(again.headers.etag, first.headers.etag)
    assert.equal(again.headers['cache-control'], IMMUTABLE)
    const other = await get(site.port, `/ipfs/${site.root}/assets/style.css`, { headers: { 'if-none-match': '"something-else"' } })
    assert.equal(other.status, 200)
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const head = await get(site.port, `/ipfs/${site.root}/media/video.mp4`, { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.body.length, 0)
    assert.equal(head.headers['content-length'], String(3 * 1024 * 1024 + 12345))
    assert.equal(head.headers['accept-ranges'], 'bytes')
    assert.equal(head.headers.etag, `"${cid('media/video.mp4')}"`)
  })

  it('serves the nearest ipfs-404.html or 404.html with status 404 for a missing path', async () => {
    const inPosts = await get(site.port, `/ipfs/${site.root}/posts/missing/deeper`)
    assert.equal(inPosts.status, 404)
    assert.equal(inPosts.text, '<!doctype html><title>No such post</title>')
    assert.equal(inPosts.headers['content-type'], 'text/html; charset=utf-8')
    const atRoot = await get(site.port, `/ipfs/${site.root}/docs/missing.txt`)
    assert.equal(atRoot.status, 404)
    assert.equal(atRoot.text, '<!doctype html><title>Not found</title>')
  })

  it('answers a plain 404 naming the missing path when the site has no 404 page', async () => {
    const r = await get(site.port, `/ipfs/${cid('docs')}/nothing-here`)
    assert.equal(r.status, 404)
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
    assert.match(r.text, /^404 Not Found: \/nothing-here does not exist in /)
  })

  it('lists a directory that has no index.html', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/docs/`)
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(r.text, /<a href="\.\/readme\.txt">readme\.txt<\/a>/)
    assert.equal(r.headers.etag, `"DirIndex-1_CID-${cid('docs')}"`)
  })

  it('answers 400 for a malformed CID, in plain text without a stack trace', async () => {
    const r = await get(site.port, '/ipfs/not-a-cid/index.html')
    assert.equal(r.status, 400)
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
    assert.equal(r.text, "400 Bad Request: 'not-a-cid' is not a valid CID\n")
  })

  it('answers 502 when the content is not in the store, without Retry-After since an offline gateway cannot get it later', async () => {
    const r = await get(site.port, `/ipfs/${ABSENT}/`)
    assert.equal(r.status, 502)
    assert.equal(r.headers['retry-after'], undefined)
    assert.equal(r.text, `502 Bad Gateway: block ${ABSENT} is not in this node's store; this gateway serves only what the local node stores\n`)
  })

  it('answers 412 to only-if-cached when the root block is not here, and serves it when it is', async () => {
    const absent = await get(site.port, `/ipfs/${ABSENT}/`, { headers: { 'cache-control': 'only-if-cached' } })
    assert.equal(absent.status, 412)
    const present = await get(site.port, `/ipfs/${site.root}/`, { method: 'HEAD', headers: { 'cache-control': 'only-if-cached' } })
    assert.equal(present.status, 200)
  })

  it('answers 405 with Allow for methods other than GET, HEAD and OPTIONS', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/`, { method: 'POST' })
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'GET, HEAD, OPTIONS')
    const options = await get(site.port, `/ipfs/${site.root}/`, { method: 'OPTIONS' })
    assert.equal(options.status, 204)
  })

  it('resolves /ipns/<key> through the node’s IPNS record, with the record’s TTL as max-age', async () => {
    const r = await get(site.port, `/ipns/${site.ipnsName}/posts/hello/`)
    assert.equal(r.status, 200)
    assert.match(r.text, /Hello post/)
    assert.equal(r.headers['x-ipfs-path'], `/ipns/${site.ipnsName}/posts/hello/`)
    assert.equal(r.headers['cache-control'], 'public, max-age=300')
    assert.ok(!Number.isNaN(Date.parse(r.headers['last-modified'] ?? '')))
  })

  it('answers 502 for an IPNS key with no record on this node', async () => {
    const r = await get(site.port, '/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8/')
    assert.equal(r.status, 502)
    assert.match(r.text, /^502 Bad Gateway: no valid IPNS record for /)
  })

  it('sets Content-Disposition from ?filename= and ?download=true', async () => {
    const inline = await get(site.port, `/ipfs/${site.root}/assets/logo?filename=logo.png`)
    assert.equal(inline.headers['content-disposition'], 'inline; filename="logo.png"')
    const attachment = await get(site.port, `/ipfs/${site.root}/assets/notes?filename=${encodeURIComponent('тест.txt')}&download=true`)
    assert.equal(attachment.headers['content-disposition'], 'attachment; filename="____.txt"; filename*=UTF-8\'\'%D1%82%D0%B5%D1%81%D1%82.txt')
    assert.equal(attachment.headers['content-type'], 'text/plain; charset=utf-8')
  })

  it('refuses to let a service worker claim a whole content root', async () => {
    const r = await get(site.port, `/ipfs/${site.root}`, { headers: { 'service-worker': 'script' } })
    assert.equal(r.status, 400)
  })

  it('routes ipfs:// URIs given to /ipfs/?uri=', async () => {
    const r = await get(site.port, `/ipfs/?uri=${encodeURIComponent(`ipfs://${site.root}/posts/`)}`)
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, `/ipfs/${site.root}/posts/`)
  })

  it('answers / with a short description and other paths with 404', async () => {
    const home = await get(site.port, '/')
    assert.equal(home.status, 200)
    assert.match(home.text, /\/ipfs\/<cid>\//)
    const other = await get(site.port, '/favicon.ico')
    assert.equal(other.status, 404)
  })
})
