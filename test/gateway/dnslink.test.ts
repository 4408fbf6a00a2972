import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { createTxtResolver, pickDnslink } from '../../src/gateway/dnslink.ts'
import { startDnsServer } from './dns-server.ts'
import { get, type Served, serveSite } from './fixture.ts'

let site: Served
/** TXT records by name, as the injected resolver answers them. */
let zone: Map<string, string[]>
let lookups: string[]

before(async () => {
  site = await serveSite({
    init: { dnslinkCacheMs: 0 },
    components: {
      resolveTxt: async (name) => {
        lookups.push(name)
        if (name === '_dnslink.broken.example') throw new Error('SERVFAIL')
        return zone.get(name) ?? []
      },
    },
  })
})
after(() => site.stop())
beforeEach(() => {
  lookups = []
  zone = new Map([
    ['_dnslink.blog.example', ['v=spf1 -all', `dnslink=/ipfs/${site.root}`]],
    ['_dnslink.named.example', [`dnslink=/ipns/${site.ipnsName}`]],
    ['_dnslink.post.example', [`dnslink=/ipfs/${site.root}/posts/hello`]],
    ['_dnslink.alias.example', ['dnslink=/ipns/blog.example']],
    ['_dnslink.loop-a.example', ['dnslink=/ipns/loop-b.example']],
    ['_dnslink.loop-b.example', ['dnslink=/ipns/loop-a.example']],
  ])
})

describe('createGateway: DNSLink hosts', () => {
  it('serves the site a domain’s _dnslink TXT record names, as a mutable /ipns/ path', async () => {
    const r = await get(site.port, '/posts/hello/', { host: 'blog.example' })
    assert.equal(r.status, 200)
    assert.match(r.text, /Hello post/)
    assert.deepEqual(lookups, ['_dnslink.blog.example'])
    assert.equal(r.headers['x-ipfs-path'], '/ipns/blog.example/posts/hello/')
    assert.equal(r.headers['cache-control'], undefined, 'no TTL is known for the TXT record')
    assert.ok(!Number.isNaN(Date.parse(r.headers['last-modified'] ?? '')))
  })

  it('follows a DNSLink to an IPNS name and to another DNSLink', async () => {
    const named = await get(site.port, '/', { host: 'named.example:8080' })
    assert.equal(named.status, 200)
    assert.match(named.text, /<title>Home<\/title>/)
    const alias = await get(site.port, '/posts/hello/', { host: 'alias.example' })
    assert.equal(alias.status, 200)
    assert.deepEqual(lookups.slice(-2), ['_dnslink.alias.example', '_dnslink.blog.example'])
  })

  it('keeps the path a DNSLink value carries', async () => {
    const r = await get(site.port, '/header.png', { host: 'post.example' })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'image/png')
  })

  it('applies the site’s _redirects and 404 page', async () => {
    const redirected = await get(site.port, '/old-post', { host: 'blog.example' })
    assert.equal(redirected.status, 301)
    assert.equal(redirected.headers.location, '/posts/hello/')
    const missing = await get(site.port, '/nothing', { host: 'blog.example' })
    assert.equal(missing.status, 404)
    assert.equal(missing.text, '<!doctype html><title>Not found</title>')
  })

  it('treats a domain without DNSLink as another name of the path gateway', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/`, { host: 'plain.example' })
    assert.equal(r.status, 200)
    assert.deepEqual(lookups, ['_dnslink.plain.example'])
  })

  it('resolves /ipns/<domain> on the path gateway', async () => {
    const r = await get(site.port, '/ipns/blog.example/posts/hello/')
    assert.equal(r.status, 200)
    assert.equal(r.headers['x-ipfs-path'], '/ipns/blog.example/posts/hello/')
  })

  it('answers 404 for /ipns/<domain> when the domain has no DNSLink record', async () => {
    const r = await get(site.port, '/ipns/nothing.example/')
    assert.equal(r.status, 404)
    assert.match(r.text, /no DNSLink record/)
  })

  it('answers 400 when DNSLink records go round in a loop', async () => {
    const r = await get(site.port, '/ipns/loop-a.example/')
    assert.equal(r.status, 400)
    assert.match(r.text, /more than 32 IPNS\/DNSLink records/)
  })

  it('answers 502 when the DNS lookup itself fails', async () => {
    const r = await get(site.port, '/', { host: 'broken.example' })
    assert.equal(r.status, 502)
    assert.match(r.text, /could not look up the DNSLink record of broken\.example: SERVFAIL/)
  })

  it('reuses an answer within dnslinkCacheMs', async () => {
    let count = 0
    const cached = await serveSite({
      init: { dnslinkCacheMs: 60_000 },
      components: {
        resolveTxt: async () => {
          count++
          return [`dnslink=/ipfs/${site.root}`]
        },
      },
    })
    try {
      assert.equal((await get(cached.port, '/', { host: 'blog.example' })).status, 200)
      assert.equal((await get(cached.port, '/', { host: 'blog.example' })).status, 200)
      assert.equal(count, 1)
    } finally {
      await cached.stop()
    }
  })
})

describe('pickDnslink', () => {
  it('takes the dnslink= value among other TXT records, the smallest when there are several', () => {
    assert.equal(pickDnslink(['v=spf1', 'dnslink=/ipfs/bafyb', 'dnslink=/ipfs/bafya']), '/ipfs/bafya')
    assert.equal(pickDnslink(['dnslink=not-a-path', 'hello']), undefined)
  })
})

describe('createTxtResolver', () => {
  it('asks the given DNS server, joins a record’s strings, and gives [] for a name that does not exist', async () => {
    const server = await startDnsServer(
      new Map([
        ['_dnslink.real.example', [['dnslink=/ipfs/', 'bafkqaaa'], ['other=1']]],
        ['empty.example', []],
      ]),
    )
    try {
      const resolveTxt = createTxtResolver({ servers: [server.address], timeoutMs: 2000 })
      assert.deepEqual(await resolveTxt('_dnslink.real.example', {}), ['dnslink=/ipfs/bafkqaaa', 'other=1'])
      assert.deepEqual(await resolveTxt('missing.example', {}), [])
      assert.deepEqual(await resolveTxt('empty.example', {}), [])
    } finally {
      await server.close()
    }
  })

  it('is what the gateway uses when given dnsServers instead of a resolveTxt component', async () => {
    const server = await startDnsServer(new Map([['_dnslink.blog.example', [[`dnslink=/ipfs/${site.root}`]]]]))
    const viaDns = await serveSite({ init: { dnsServers: [server.address] } })
    try {
      const r = await get(viaDns.port, '/posts/hello/', { host: 'blog.example' })
      assert.equal(r.status, 200)
      assert.match(r.text, /Hello post/)
    } finally {
      await viaDns.stop()
      await server.close()
    }
  })
})
