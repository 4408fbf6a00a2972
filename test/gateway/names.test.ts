import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { base36 } from 'multiformats/bases/base36'
import { routeHost } from '../../src/gateway/host.ts'
import { inlineDnslink, toDnsLabel, uninlineDnslink } from '../../src/gateway/names.ts'

describe('inlineDnslink / uninlineDnslink', () => {
  it('round-trips DNSLink names through one DNS label as the subdomain spec encodes them', () => {
    assert.equal(inlineDnslink('en.wikipedia-on-ipfs.org'), 'en-wikipedia--on--ipfs-org')
    assert.equal(uninlineDnslink('en-wikipedia--on--ipfs-org'), 'en.wikipedia-on-ipfs.org')
    assert.equal(uninlineDnslink(inlineDnslink('a--b.c-d.example')), 'a--b.c-d.example')
  })
})

describe('toDnsLabel', () => {
  it('gives CIDv1 in base32 and IPNS keys in base36', () => {
    assert.equal(toDnsLabel('ipfs', 'QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR'), 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')
    const peerId = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
    const base36Key = peerIdFromString(peerId).toCID().toString(base36)
    assert.match(base36Key, /^k51/)
    assert.equal(toDnsLabel('ipns', peerId), base36Key)
    assert.equal(toDnsLabel('ipns', base36Key), base36Key)
  })
})

describe('routeHost', () => {
  const hosts = ['localhost']
  it('tells subdomains, the subdomain gateway host, path gateway hosts and DNSLink candidates apart', () => {
    assert.deepEqual(routeHost('bafkqaaa.ipfs.localhost:8080', hosts), { kind: 'subdomain', namespace: 'ipfs', root: 'bafkqaaa', gateway: 'localhost:8080' })
    assert.deepEqual(routeHost('en-wikipedia--on--ipfs-org.ipns.localhost', hosts), {
      kind: 'subdomain',
      namespace: 'ipns',
      root: 'en.wikipedia-on-ipfs.org',
      gateway: 'localhost',
    })
    assert.deepEqual(routeHost('LOCALHOST:8080', hosts), { kind: 'subdomain-gateway', gateway: 'localhost:8080' })
    assert.deepEqual(routeHost('127.0.0.1:8080', hosts), { kind: 'path' })
    assert.deepEqual(routeHost('[::1]:8080', hosts), { kind: 'path' })
    assert.deepEqual(routeHost('blog.example.', hosts), { kind: 'dnslink', domain: 'blog.example' })
  })

  it('refuses a content root spread over several labels', () => {
    assert.throws(() => routeHost('a.b.ipfs.localhost', hosts), /single DNS label/)
  })
})
