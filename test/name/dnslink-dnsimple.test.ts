/**
 * The DNSimple DNSLink publisher against a local server that follows DNSimple's API v2
 * documentation (cited in test/helpers/dnsimple-api.ts), its records served over real DNS.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { DnslinkAuthError } from '../../src/errors.ts'
import { createDnsimpleDnslink, type DnsimpleInit } from '../../src/name/dnslink/index.ts'
import { startDnsServer } from '../gateway/dns-server.ts'
import { type FakeDnsimple, startDnsimple } from '../helpers/dnsimple-api.ts'

const ZONE = 'blog.example'
const CID_A = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const WRITE_TOKEN = 'dnsimple-write-token-abcdef'
const FAST_RETRY = { minDelayMs: 1, maxDelayMs: 5, random: () => 0 }

let api: FakeDnsimple
let dns: { address: string; close(): Promise<void> }

before(async () => {
  api = await startDnsimple(ZONE)
  dns = await startDnsServer(api.dns)
})
after(async () => {
  await api.close()
  await dns.close()
})
beforeEach(() => {
  api.records = []
  api.dns.clear()
  api.requests = []
  api.tokens = new Map([
    [WRITE_TOKEN, 'write'],
    ['dnsimple-read-token', 'read'],
    ['dnsimple-user-token', 'user'],
  ])
  api.addRecord('_dnslink', 'google-site-verification=keep-me')
})

function publisher(extra: Partial<DnsimpleInit> = {}) {
  const init = { domain: ZONE, token: WRITE_TOKEN, tokenEnv: 'DNSIMPLE_TOKEN', apiUrl: api.url, authoritativeServers: [dns.address], ...extra }
  return createDnsimpleDnslink({ retry: FAST_RETRY }, { propagationTimeoutMs: 2000, ...init })
}

const writes = (): string[] => api.requests.filter((r) => !r.startsWith('GET'))

describe('createDnsimpleDnslink', () => {
  it('finds the account from the token, creates the record by its zone-relative name, and checks DNS', async () => {
    const result = await publisher().publish(CID_A)
    assert.equal(result.status, 'updated')
    assert.equal(result.provider, 'dnsimple')
    assert.ok(api.requests[0]?.startsWith('GET /v2/whoami'))
    assert.deepEqual(writes(), ['POST /v2/1010/zones/blog.example/records'])
    const created = api.records.find((r) => r.content.startsWith('dnslink='))
    assert.deepEqual([created?.name, created?.content, created?.ttl], ['_dnslink', `dnslink=/ipfs/${CID_A}`, 300])
    assert.equal(api.records.length, 2, 'the other TXT record stays')
  })

  it('updates a subdomain’s record in place, then reports unchanged without writing', async () => {
    const old = api.addRecord('_dnslink.www', 'dnslink=/ipfs/bafkqaaa')
    const p = publisher({ domain: `www.${ZONE}`, zone: ZONE, account: '1010' })
    const result = await p.publish(CID_A)
    assert.equal(result.previous, '/ipfs/bafkqaaa')
    assert.deepEqual(writes(), [`PATCH /v2/1010/zones/blog.example/records/${old.id}`])
    assert.ok(api.requests.some((r) => r.includes('name=_dnslink.www')), 'listed by the zone-relative name')
    api.requests = []
    assert.equal((await p.publish(CID_A)).status, 'unchanged')
    assert.deepEqual(writes(), [])
  })

  it('deletes duplicate DNSLink records and reports them', async () => {
    api.addRecord('_dnslink', 'dnslink=/ipfs/bafkqaaa')
    const duplicate = api.addRecord('_dnslink', 'dnslink=/ipfs/bafkqabbbb')
    const result = await publisher().publish(CID_A)
    assert.deepEqual(result.removed, ['/ipfs/bafkqabbbb'])
    assert.equal(writes().at(-1), `DELETE /v2/1010/zones/blog.example/records/${duplicate.id}`)
    assert.deepEqual(
      api.records.map((r) => r.content),
      ['google-site-verification=keep-me', `dnslink=/ipfs/${CID_A}`],
    )
  })

  it('says the token was rejected, or lacks the scope, naming its variable and never its value', async () => {
    await assert.rejects(publisher({ token: 'wrong-token-value' }).publish(CID_A), (err: Error) => {
      assert.ok(err instanceof DnslinkAuthError)
      assert.match(err.message, /DNSimple rejected the token in \$DNSIMPLE_TOKEN: it is invalid or expired \(HTTP 401: Authentication failed\)/)
      return !err.message.includes('wrong-token-value')
    })
    await assert.rejects(
      publisher({ token: 'dnsimple-read-token' }).publish(CID_A),
      /the token in \$DNSIMPLE_TOKEN lacks permission to create _dnslink\.blog\.example in blog\.example \(HTTP 403: Permission Denied/,
    )
  })

  it('asks for `account` when given a user token, and names a zone it cannot find', async () => {
    await assert.rejects(publisher({ token: 'dnsimple-user-token' }).publish(CID_A), /is a user token.*set `account`/)
    await assert.rejects(publisher({ domain: 'other.example' }).publish(CID_A), /DNSimple has no zone other\.example in account 1010/)
  })

  it('reports the hourly rate limit with the time it resets', async () => {
    api.rateLimit(10)
    await assert.rejects(publisher().publish(CID_A), /DNSimple's hourly API rate limit was reached while trying to identify its account: try again after \d{4}-/)
  })
})
