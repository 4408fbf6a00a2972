import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { createRfc2136Dnslink } from '../../src/name/dnslink/index.ts'
import { dnslinkValue, normalizeDomain, parseTxtContent, planDnslink, quoteTxtContent, txtChunks } from '../../src/name/dnslink/record.ts'
import { parseServer } from '../../src/name/dnslink/transport.ts'
import { readTsig, signMessage } from '../../src/name/dnslink/tsig.ts'
import { encodeUpdate } from '../../src/name/dnslink/update.ts'

const rec = (text: string, ref?: unknown) => ({ text, ttl: 300, ref })

describe('planDnslink', () => {
  it('looks only at dnslink= records and says what the gateways resolve now', () => {
    const plan = planDnslink([rec('v=spf1 -all'), rec('dnslink=/ipfs/bafyb'), rec('dnslink=/ipfs/bafya')], '/ipfs/bafyc')
    assert.equal(plan.target, 'dnslink=/ipfs/bafyc')
    assert.deepEqual(
      plan.current.map((r) => r.text),
      ['dnslink=/ipfs/bafyb', 'dnslink=/ipfs/bafya'],
    )
    assert.equal(plan.previous, '/ipfs/bafya', 'the smallest valid value, as gateways pick it')
    assert.deepEqual(plan.removed, ['/ipfs/bafyb'])
    assert.equal(plan.unchanged, false)
  })

  it('is unchanged only when the single DNSLink record is the target', () => {
    assert.equal(planDnslink([rec('other'), rec('dnslink=/ipfs/bafya')], '/ipfs/bafya').unchanged, true)
    assert.equal(planDnslink([rec('dnslink=/ipfs/bafya'), rec('dnslink=/ipfs/bafyb')], '/ipfs/bafya').unchanged, false)
    assert.equal(planDnslink([], '/ipfs/bafya').unchanged, false)
  })

  it('replaces a malformed dnslink= record too', () => {
    const plan = planDnslink([rec('dnslink=garbage')], '/ipfs/bafya')
    assert.equal(plan.previous, 'garbage')
    assert.equal(plan.current.length, 1)
  })
})

describe('dnslinkValue and normalizeDomain', () => {
  it('writes CIDv1 for a CIDv0, or the configured /ipns/ name', () => {
    const v0 = CID.parse('QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn')
    assert.equal(dnslinkValue(v0), '/ipfs/bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
    assert.equal(dnslinkValue(v0, 'blog.example'), '/ipns/blog.example')
  })

  it('lower-cases, drops the trailing dot and refuses what is not a domain, naming the option', () => {
    assert.equal(normalizeDomain('Blog.Example.'), 'blog.example')
    assert.throws(() => normalizeDomain('localhost'), /`domain` must be a domain name/)
    assert.throws(() => normalizeDomain('a..b', 'zone'), /`zone` must be a domain name/)
  })
})

describe('TXT content', () => {
  it('reads quoted character-strings with escapes, or bare text', () => {
    assert.equal(parseTxtContent('"dnslink=/ipfs/" "bafya"'), 'dnslink=/ipfs/bafya')
    assert.equal(parseTxtContent('"a \\"quoted\\" \\\\ word"'), 'a "quoted" \\ word')
    assert.equal(parseTxtContent('dnslink=/ipfs/bafya'), 'dnslink=/ipfs/bafya')
  })

  it('quotes and splits at 255 bytes', () => {
    const long = 'x'.repeat(300)
    assert.equal(quoteTxtContent(long), `"${'x'.repeat(255)}" "${'x'.repeat(45)}"`)
    assert.deepEqual(
      txtChunks(long).map((c) => c.length),
      [255, 45],
    )
  })
})

describe('parseServer', () => {
  it('reads host, host:port and bracketed IPv6, defaulting to port 53', () => {
    assert.deepEqual(parseServer('192.0.2.1'), { host: '192.0.2.1', port: 53 })
    assert.deepEqual(parseServer('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 })
    assert.deepEqual(parseServer('[2001:db8::1]:53'), { host: '2001:db8::1', port: 53 })
    assert.deepEqual(parseServer('2001:db8::1'), { host: '2001:db8::1', port: 53 })
    assert.throws(() => parseServer('host:99999', 'server'), /`server` must be host, host:port/)
  })
})

describe('TSIG', () => {
  it('appends a TSIG record that reads back with the key, time and MAC it was signed with', () => {
    const key = { name: 'deploy.', algorithm: 'hmac-sha256' as const, secret: Buffer.alloc(32, 7) }
    const message = encodeUpdate(0x1234, 'blog.example', [], { name: '_dnslink.blog.example', chunks: txtChunks('dnslink=/ipfs/x'), ttl: 300 })
    const { signed, mac } = signMessage(message, key, 1_700_000_000_000)
    assert.equal(signed.readUInt16BE(10), 1, 'ARCOUNT counts the TSIG record')
    const tsig = readTsig(signed)
    assert.equal(tsig?.keyName, 'deploy')
    assert.equal(tsig?.algorithm, 'hmac-sha256')
    assert.equal(tsig?.timeSigned, 1_700_000_000)
    assert.equal(tsig?.originalId, 0x1234)
    assert.deepEqual(tsig?.mac, mac)
    assert.equal(tsig?.offset, message.length)
  })

  it('refuses an unknown algorithm and a missing key name', () => {
    const init = { domain: 'blog.example', server: '127.0.0.1:1' }
    assert.throws(() => createRfc2136Dnslink({}, { ...init, key: { name: 'k', secret: 'AAAA', algorithm: 'hmac-md5' as never } }), /`key.algorithm` must be one of/)
    assert.throws(() => createRfc2136Dnslink({}, { ...init, key: { name: ' ', secret: 'AAAA' } }), /`key.name`/)
  })
})
