import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha512 } from 'multiformats/hashes/sha2'
import { createSite, get, type Served, serveSite } from './fixture.ts'

let site: Served
/** The `Host` of the gateway's own name, where content paths redirect to subdomains. */
let gatewayHost: string
let siteHost: string

before(async () => {
  site = await serveSite()
  gatewayHost = `localhost:${site.port}`
  siteHost = `${site.root}.ipfs.localhost:${site.port}`
})
after(() => site.stop())

describe('createGateway: redirects from localhost to subdomains', () => {
  it('redirects /ipfs/<cidv1>/path?query to http://<cid>.ipfs.localhost:<port>/path?query with 301', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/posts/hello/?a=1&b=2`, { host: gatewayHost })
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, `http://${site.root}.ipfs.localhost:${site.port}/posts/hello/?a=1&b=2`)
  })

  it('converts a CIDv0 to CIDv1 in base32 before redirecting', async () => {
    const r = await get(site.port, '/ipfs/QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR', { host: gatewayHost })
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, `http://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.localhost:${site.port}/`)
  })

  it('writes an IPNS key given as a peer ID in base36, and inlines a DNSLink name into one label', async () => {
    const peerId = site.publicKey.toString()
    assert.match(peerId, /^12D3Koo/)
    const key = await get(site.port, `/ipns/${peerId}/posts/`, { host: gatewayHost })
    assert.equal(key.status, 301)
    assert.equal(key.headers.location, `http://${site.ipnsName}.ipns.localhost:${site.port}/posts/`)
    const dnslink = await get(site.port, '/ipns/en.wikipedia-on-ipfs.org/wiki/', { host: gatewayHost })
    assert.equal(dnslink.headers.location, `http://en-wikipedia--on--ipfs-org.ipns.localhost:${site.port}/wiki/`)
  })

  it('answers 400 for a CID too long for a DNS label, pointing at the path gateway', async () => {
    const long = CID.createV1(raw.code, await sha512.digest(new TextEncoder().encode('x')))
    assert.ok(long.toString(base36).length > 63)
    const r = await get(site.port, `/ipfs/${long}/`, { host: gatewayHost })
    assert.equal(r.status, 400)
    assert.match(r.text, /does not fit in a DNS label .*path gateway/)
    const onPath = await get(site.port, `/ipfs/${long}/`)
    assert.equal(onPath.status, 502, 'the same CID is still addressable on 127.0.0.1')
  })

  it('checks only the root before redirecting: a malformed CID is 400', async () => {
    const r = await get(site.port, '/ipfs/bafy-not-a-cid/', { host: gatewayHost })
    assert.equal(r.status, 400)
  })

  it('redirects to https when a TLS proxy says so with X-Forwarded-Proto', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/`, { host: gatewayHost, headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(r.headers.location, `https://${site.root}.ipfs.localhost:${site.port}/`)
  })
})

describe('createGateway: subdomain gateway', () => {
  it('serves the root directory’s index.html at /', async () => {
    const r = await get(site.port, '/', { host: siteHost })
    assert.equal(r.status, 200)
    assert.match(r.text, /<title>Home<\/title>/)
    assert.equal(r.headers['x-ipfs-path'], `/ipfs/${site.root}/`)
    assert.equal(r.headers['cache-control'], 'public, max-age=29030400, immutable')
  })

  it('redirects a directory without trailing slash to the same host', async () => {
    const r = await get(site.port, '/posts/hello?x=1', { host: siteHost })
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, '/posts/hello/?x=1')
  })

  it('serves files under the root with their path in X-Ipfs-Path', async () => {
    const r = await get(site.port, '/posts/hello/header.png', { host: siteHost })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'image/png')
    assert.equal(r.headers['x-ipfs-path'], `/ipfs/${site.root}/posts/hello/header.png`)
  })

  it('serves <key>.ipns.localhost from the IPNS record', async () => {
    const r = await get(site.port, '/posts/hello/', { host: `${site.ipnsName}.ipns.localhost:${site.port}` })
    assert.equal(r.status, 200)
    assert.match(r.text, /Hello post/)
    assert.equal(r.headers['x-ipfs-path'], `/ipns/${site.ipnsName}/posts/hello/`)
  })

  it('answers 400 when the subdomain is not a CID', async () => {
    const r = await get(site.port, '/', { host: `nonsense.ipfs.localhost:${site.port}` })
    assert.equal(r.status, 400)
  })
})

describe('createGateway: _redirects on subdomain hosts', () => {
  const on = (path: string, headers: Record<string, string> = {}) => get(site.port, path, { host: siteHost, headers })

  it('redirects with the rule’s status (301 by default) to a path on the site', async () => {
    const r = await on('/old-post')
    assert.equal(r.status, 301)
    assert.equal(r.headers.location, '/posts/hello/')
  })

  it('merges the request’s query into the target’s, the request’s values winning', async () => {
    const r = await on('/temp?from=user&x=1')
    assert.equal(r.status, 302)
    assert.equal(r.headers.location, '/posts/hello/?from=user&x=1')
    const external = await on('/search?q=ipfs')
    assert.equal(external.status, 302)
    assert.equal(external.headers.location, 'https://example.net/search?q=ipfs')
  })

  it('fills placeholders and splats', async () => {
    const placeholders = await on('/blog/2024/hello')
    assert.equal(placeholders.headers.location, '/posts/hello/?year=2024')
    const splat = await on('/splat/hello/header.png')
    assert.equal(splat.status, 302)
    assert.equal(splat.headers.location, '/posts/hello/header.png')
  })

  it('rewrites with 200: serves the target’s content at the requested URL', async () => {
    const r = await on('/app/some/client/route')
    assert.equal(r.status, 200)
    assert.match(r.text, /<title>Home<\/title>/)
    assert.equal(r.headers.location, undefined)
  })

  it('serves the target with 410 for a 410 rule', async () => {
    const r = await on('/gone/anything')
    assert.equal(r.status, 410)
    assert.equal(r.text, '<!doctype html><title>Not found</title>')
  })

  it('never intercepts a path that exists', async () => {
    const r = await on('/app')
    assert.equal(r.status, 200, '/app/* rewrites, but only because /app does not exist')
    const existing = await on('/posts/hello/header.png')
    assert.equal(existing.status, 200)
    assert.equal(existing.headers['content-type'], 'image/png')
  })

  it('falls back to the 404 page when no rule matches', async () => {
    const r = await on('/no/rule/for/this')
    assert.equal(r.status, 404)
    assert.equal(r.text, '<!doctype html><title>Not found</title>')
  })

  it('is ignored on the path gateway, where roots share an origin', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/old-post`)
    assert.equal(r.status, 404)
  })

  it('answers 500 with the line at fault when the file is invalid', async () => {
    const broken = await serveSite({ site: await createSite({ _redirects: '/ok /index.html\n/bad /index.html 999\n' }) })
    try {
      const r = await get(broken.port, '/missing', { host: `${broken.root}.ipfs.localhost:${broken.port}` })
      assert.equal(r.status, 500)
      assert.equal(r.text, "500 Internal Server Error: _redirects line 2: status 999 is not one of 200, 301, 302, 303, 307, 308, 404, 410, 451: '/bad /index.html 999'\n")
    } finally {
      await broken.stop()
    }
  })
})
