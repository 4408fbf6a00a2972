/**
 * The Cloudflare DNSLink publisher against a local server that follows Cloudflare's API
 * documentation (the docs followed are cited in test/helpers/cloudflare-api.ts), with the
 * zone's records also served over real DNS for the authoritative check.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { DnslinkAuthError, DnslinkError, DnslinkNotVisibleError } from '../../src/errors.ts'
import type { AnyProgressEvent } from '../../src/events.ts'
import { type CloudflareInit, createCloudflareDnslink } from '../../src/name/dnslink/index.ts'
import { startDnsServer } from '../gateway/dns-server.ts'
import { type FakeCloudflare, startCloudflare } from '../helpers/cloudflare-api.ts'

const ZONE = 'blog.example'
const RECORD = `_dnslink.${ZONE}`
const CID_A = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const EDIT_TOKEN = 'cf-edit-token-0123456789abcdef'
const READ_TOKEN = 'cf-read-token-0123456789abcdef'
const FAST_RETRY = { minDelayMs: 1, maxDelayMs: 5, random: () => 0 }

let cf: FakeCloudflare
let dns: { address: string; close(): Promise<void> }

before(async () => {
  cf = await startCloudflare([ZONE])
  dns = await startDnsServer(cf.dns)
})
after(async () => {
  await cf.close()
  await dns.close()
})
beforeEach(() => {
  cf.records = []
  cf.web3.clear()
  cf.requests = []
  cf.holdDns = false
  cf.maxPerPage = Number.POSITIVE_INFINITY
  cf.tokens = new Map([
    [EDIT_TOKEN, 'edit'],
    [READ_TOKEN, 'read'],
  ])
  cf.addRecord(RECORD, '"google-site-verification=keep-me"')
  cf.addRecord(`_dnslink.www.${ZONE}`, '"dnslink=/ipfs/bafkqaaa"')
})

function publisher(extra: Partial<CloudflareInit> = {}) {
  const init = { domain: ZONE, token: EDIT_TOKEN, tokenEnv: 'CLOUDFLARE_API_TOKEN', apiUrl: cf.url, authoritativeServers: [dns.address], ...extra }
  return createCloudflareDnslink({ retry: FAST_RETRY }, { propagationTimeoutMs: 2000, ...init })
}

const writes = (): string[] => cf.requests.filter((r) => !r.startsWith('GET'))
const dnslinks = (): string[] => cf.records.filter((r) => r.name === RECORD && r.content.includes('dnslink=')).map((r) => r.content)

describe('createCloudflareDnslink', () => {
  it('creates the record as a quoted TXT string next to the other TXT record, and checks DNS', async () => {
    const events: AnyProgressEvent[] = []
    const p = publisher()
    assert.equal(await p.current?.(), undefined)
    const result = await p.publish(CID_A, { onProgress: (e) => events.push(e) })
    assert.equal(result.status, 'updated')
    assert.equal(result.previous, undefined)
    assert.equal(result.provider, 'cloudflare')
    assert.equal(result.cacheTtlSeconds, 60, 'the TTL the DNS server gave the TXT answer before the change')
    assert.deepEqual(writes(), [`POST /client/v4/zones/${cf.records[0]?.zone_id}/dns_records`])
    const created = cf.records.find((r) => r.content.includes(CID_A.toString()))
    assert.equal(created?.content, `"dnslink=/ipfs/${CID_A}"`)
    assert.equal(created?.ttl, 300)
    assert.equal(cf.records.filter((r) => r.name === RECORD).length, 2, 'the other TXT record stays')
    assert.equal(await p.current?.(), `/ipfs/${CID_A}`)
    assert.deepEqual(
      events.map((e) => e.type),
      ['name:dnslink:current', 'name:dnslink:updated', 'name:dnslink:verified'],
    )
  })

  it('updates the existing record in place and writes nothing when it already has the value', async () => {
    const old = cf.addRecord(RECORD, '"dnslink=/ipfs/bafkqaaa"', { ttl: 120 })
    const result = await publisher().publish(CID_A)
    assert.equal(result.previous, '/ipfs/bafkqaaa')
    assert.deepEqual(writes(), [`PATCH /client/v4/zones/${old.zone_id}/dns_records/${old.id}`])
    assert.equal(old.ttl, 120, 'the record keeps its TTL')
    cf.requests = []
    const again = await publisher().publish(CID_A)
    assert.equal(again.status, 'unchanged')
    assert.deepEqual(writes(), [])
  })

  it('reads every page of records and deletes the duplicates after updating one', async () => {
    cf.addRecord(RECORD, '"dnslink=/ipfs/bafkqaaa"')
    cf.addRecord(RECORD, '"other=1"')
    cf.addRecord(RECORD, '"other=2"')
    cf.addRecord(RECORD, '"dnslink=/ipfs/bafkqabbbb"')
    cf.maxPerPage = 2
    const result = await publisher().publish(CID_A)
    assert.ok(cf.requests.some((r) => r.includes('page=3')), 'asked for the third page')
    assert.deepEqual(result.removed, ['/ipfs/bafkqabbbb'])
    assert.deepEqual(dnslinks(), [`"dnslink=/ipfs/${CID_A}"`])
    assert.deepEqual(
      writes().map((w) => w.split(' ')[0]),
      ['PATCH', 'DELETE'],
    )
  })

  it('finds the zone of a subdomain by walking up its parents', async () => {
    await publisher({ domain: `www.${ZONE}` }).publish(CID_A)
    const lookups = cf.requests.filter((r) => r.startsWith('GET /client/v4/zones?'))
    assert.deepEqual(lookups, [`GET /client/v4/zones?name=www.${ZONE}`, `GET /client/v4/zones?name=${ZONE}`])
  })

  it('explains that a record managed by a Cloudflare Web3 gateway must be changed there', async () => {
    cf.addRecord(RECORD, '"dnslink=/ipns/onboarding.ipfs.cloudflare.com"', { web3: true })
    await assert.rejects(publisher().publish(CID_A), (err: Error) => {
      assert.ok(err instanceof DnslinkError)
      assert.match(err.message, /does not let its API edit _dnslink\.blog\.example: the record belongs to a Cloudflare Web3 gateway \(HTTP 400, 1049: Unable to edit/)
      assert.match(err.message, /Change the DNSLink in the gateway’s settings/)
      return true
    })
  })

  it('says which token lacks DNS edit permission on which zone, never showing the token', async () => {
    const events: AnyProgressEvent[] = []
    const err = await publisher({ token: READ_TOKEN })
      .publish(CID_A, { onProgress: (e) => events.push(e) })
      .catch((e: unknown) => e)
    assert.ok(err instanceof DnslinkAuthError)
    assert.match(err.message, /^the token in \$CLOUDFLARE_API_TOKEN lacks DNS edit permission on blog\.example: .*10000: Authentication error/)
    for (const text of [err.message, err.stack ?? '', JSON.stringify(events)]) assert.ok(!text.includes(READ_TOKEN))
    await assert.rejects(publisher({ token: 'not-a-token' }).publish(CID_A), (e: Error) => {
      assert.match(e.message, /Cloudflare rejected the token in \$CLOUDFLARE_API_TOKEN: it is malformed, unknown or expired \(HTTP 400, 1000: Invalid API Token\)/)
      return !e.message.includes('not-a-token')
    })
  })

  it('retries a 429 after its Retry-After, reporting each retry', async () => {
    cf.rateLimit(2, 0)
    const events: AnyProgressEvent[] = []
    const result = await publisher().publish(CID_A, { onProgress: (e) => events.push(e) })
    assert.equal(result.status, 'updated')
    const retries = events.filter((e) => e.type === 'name:dnslink:retry')
    assert.equal(retries.length, 2)
    assert.match(JSON.stringify(retries[0]?.detail), /"provider":"cloudflare".*"reason":"HTTP 429 Too Many Requests"/)
  })

  it('gives up on a Retry-After too long to wait, saying when to try again', async () => {
    cf.rateLimit(1, 120)
    await assert.rejects(publisher().publish(CID_A), /Cloudflare's API rate limit was reached while trying to look up the zone blog\.example: try again in 120 s/)
  })

  it('waits for the authoritative servers, and fails with what they answer when they never catch up', async () => {
    cf.holdDns = true
    const events: AnyProgressEvent[] = []
    await assert.rejects(publisher({ propagationTimeoutMs: 300 }).publish(CID_A, { onProgress: (e) => events.push(e) }), (err: Error) => {
      assert.ok(err instanceof DnslinkNotVisibleError)
      assert.match(err.message, new RegExp(`not every authoritative server answers 'dnslink=/ipfs/${CID_A}' yet: ${dns.address} answers no dnslink= record`))
      return true
    })
    assert.ok(events.some((e) => e.type === 'name:dnslink:waiting'))
  })

  it('succeeds once the servers catch up within the wait', async () => {
    cf.holdDns = true
    const result = await publisher().publish(CID_A, {
      onProgress: (e) => {
        if (e.type !== 'name:dnslink:waiting') return
        cf.holdDns = false
        cf.syncDns()
      },
    })
    assert.equal(result.servers[0], dns.address)
  })
})
