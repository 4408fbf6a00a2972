import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { DnslinkAuthError } from '../../src/errors.ts'
import type { AnyProgressEvent } from '../../src/events.ts'
import { readTxt } from '../../src/name/dnslink/authoritative.ts'
import { createRfc2136Dnslink, type Rfc2136Init } from '../../src/name/dnslink/rfc2136.ts'
import { parseServer } from '../../src/name/dnslink/transport.ts'
import { updateError } from '../../src/name/dnslink/update.ts'
import { get, serveSite } from '../gateway/fixture.ts'
import { KNOTD, type Knot, knotMissing, startKnot } from '../helpers/knot.ts'

const ZONE = 'blog.example'
const CID_A = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const CID_B = CID.parse('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
const OLD_1 = 'dnslink=/ipfs/bafkqaaa'
const OLD_2 = 'dnslink=/ipfs/bafkqabbbb'

const RECORDS = [
  '@ TXT "v=spf1 -all"',
  // At the DNSLink name itself, but not a DNSLink record: must survive every update.
  '_dnslink TXT "google-site-verification=keep-me"',
  // Neighbours of the DNSLink name: other domains' records, never touched.
  `_dnslink.www TXT "${OLD_1}"`,
  `_dnslink-backup TXT "${OLD_1}"`,
  // Two DNSLink records at one name: a publish leaves one.
  `_dnslink.dup TXT "${OLD_1}"`,
  `_dnslink.dup TXT "${OLD_2}"`,
  // A value split over two character-strings: the delete must repeat them exactly.
  `_dnslink.split TXT "dnslink=/ipfs/" "bafkqaaa"`,
  // More TXT data than one UDP answer holds (1232 bytes): the query must go on over TCP.
  ...Array.from({ length: 10 }, (_, i) => `_dnslink.big TXT "filler-${i}-${'x'.repeat(200)}"`),
  `_dnslink.big TXT "${OLD_1}"`,
]

let knot: Knot | undefined

before(async () => {
  if (existsSync(KNOTD)) knot = await startKnot(ZONE, RECORDS)
})
after(() => knot?.stop())

function init(k: Knot, domain: string, extra: Partial<Rfc2136Init> = {}): Rfc2136Init {
  return { domain, server: k.address, key: { name: k.key.name, secret: k.key.secret }, ...extra }
}

async function txt(k: Knot, name: string): Promise<string[]> {
  return (await readTxt(parseServer(k.address), name)).texts.sort()
}

describe('createRfc2136Dnslink against Knot DNS', () => {
  it('creates the DNSLink record beside the other TXT record at the name, and reports the old TTL', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const events: AnyProgressEvent[] = []
    const publisher = createRfc2136Dnslink({}, init(knot, ZONE))
    assert.equal(publisher.kind, 'dnslink')
    assert.equal(await publisher.current?.(), undefined)
    const result = await publisher.publish(CID_A, { onProgress: (e) => events.push(e) })
    const value = `/ipfs/${CID_A}`
    assert.deepEqual(
      { ...result },
      {
        name: ZONE,
        value,
        previous: undefined,
        status: 'updated',
        provider: 'rfc2136',
        record: `_dnslink.${ZONE}`,
        removed: [],
        servers: [knot.address],
        cacheTtlSeconds: 300,
      },
    )
    assert.deepEqual(await txt(knot, `_dnslink.${ZONE}`), [`dnslink=${value}`, 'google-site-verification=keep-me'])
    assert.equal(await publisher.current?.(), value)
    assert.deepEqual(
      events.map((e) => e.type),
      ['name:dnslink:current', 'name:dnslink:updated', 'name:dnslink:verified'],
    )
    assert.deepEqual(events[2]?.detail, { domain: ZONE, servers: [knot.address], cacheTtlSeconds: 300 })
  })

  it('leaves every other record alone: the apex TXT and the neighbouring _dnslink names', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    await createRfc2136Dnslink({}, init(knot, ZONE)).publish(CID_B)
    assert.deepEqual(await txt(knot, ZONE), ['v=spf1 -all'])
    assert.deepEqual(await txt(knot, `_dnslink.www.${ZONE}`), [OLD_1])
    assert.deepEqual(await txt(knot, `_dnslink-backup.${ZONE}`), [OLD_1])
    assert.deepEqual(await txt(knot, `_dnslink.${ZONE}`), [`dnslink=/ipfs/${CID_B}`, 'google-site-verification=keep-me'])
  })

  it('replaces an existing value and says what it was; writes nothing when the value is already there', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const publisher = createRfc2136Dnslink({}, init(knot, `www.${ZONE}`))
    const updated = await publisher.publish(CID_A)
    assert.equal(updated.status, 'updated')
    assert.equal(updated.previous, '/ipfs/bafkqaaa')
    const events: AnyProgressEvent[] = []
    const again = await publisher.publish(CID_A, { onProgress: (e) => events.push(e) })
    assert.equal(again.status, 'unchanged')
    assert.equal(again.previous, `/ipfs/${CID_A}`)
    assert.equal(again.cacheTtlSeconds, undefined)
    assert.deepEqual(
      events.map((e) => e.type),
      ['name:dnslink:current', 'name:dnslink:unchanged', 'name:dnslink:verified'],
    )
  })

  it('cleans up duplicate dnslink= records in the same update and reports them', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const result = await createRfc2136Dnslink({}, init(knot, `dup.${ZONE}`)).publish(CID_A)
    assert.equal(result.previous, '/ipfs/bafkqaaa')
    assert.deepEqual(result.removed, ['/ipfs/bafkqabbbb'])
    assert.deepEqual(await txt(knot, `_dnslink.dup.${ZONE}`), [`dnslink=/ipfs/${CID_A}`])
  })

  it('replaces a record stored as several character-strings', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const result = await createRfc2136Dnslink({}, init(knot, `split.${ZONE}`)).publish(CID_A)
    assert.equal(result.previous, '/ipfs/bafkqaaa')
    assert.deepEqual(await txt(knot, `_dnslink.split.${ZONE}`), [`dnslink=/ipfs/${CID_A}`])
  })

  it('reads an answer too big for UDP by asking again over TCP, and keeps the ten other records', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const result = await createRfc2136Dnslink({}, init(knot, `big.${ZONE}`)).publish(CID_A)
    assert.equal(result.previous, '/ipfs/bafkqaaa')
    const texts = await txt(knot, `_dnslink.big.${ZONE}`)
    assert.equal(texts.length, 11)
    assert.ok(texts.includes(`dnslink=/ipfs/${CID_A}`))
  })

  it('points the domain at /ipns/<name> when configured so', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const ipns = 'k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8'
    const result = await createRfc2136Dnslink({}, init(knot, `named.${ZONE}`, { ipns })).publish(CID_A)
    assert.equal(result.value, `/ipns/${ipns}`)
    assert.equal(result.cacheTtlSeconds, 60, 'no record before: the negative TTL of the SOA')
    assert.deepEqual(await txt(knot, `_dnslink.named.${ZONE}`), [`dnslink=/ipns/${ipns}`])
  })
})

describe('createRfc2136Dnslink: what the server refuses', () => {
  it('names the key when its secret is wrong, and never shows a secret', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const wrong = Buffer.from('not the secret at all, but 32 b.').toString('base64')
    const events: AnyProgressEvent[] = []
    const publisher = createRfc2136Dnslink({}, init(knot, `www.${ZONE}`, { key: { name: knot.key.name, secret: wrong } }))
    const err = await publisher.publish(CID_B, { onProgress: (e) => events.push(e) }).catch((e: unknown) => e)
    assert.ok(err instanceof DnslinkAuthError)
    assert.equal(err.code, 'ERR_DNSLINK_AUTH')
    assert.match(err.message, /the TSIG secret for key 'deploy-key\.' is wrong/)
    for (const text of [err.message, err.stack ?? '', JSON.stringify(events), String(err.cause)]) {
      assert.ok(!text.includes(wrong) && !text.includes(knot.key.secret), 'a secret leaked')
    }
    assert.deepEqual(await txt(knot, `_dnslink.www.${ZONE}`), [`dnslink=/ipfs/${CID_A}`], 'nothing changed')
  })

  it('says so when the server does not know the key name', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const publisher = createRfc2136Dnslink({}, init(knot, `www.${ZONE}`, { key: { name: 'nobody.', secret: knot.key.secret } }))
    await assert.rejects(publisher.publish(CID_B), (err: Error) => {
      assert.ok(err instanceof DnslinkAuthError)
      assert.match(err.message, /does not know the TSIG key 'nobody\.': check the key name/)
      return true
    })
  })

  it('points at the update ACL when the key is known but not allowed to update (Knot answers BADKEY)', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const publisher = createRfc2136Dnslink({}, init(knot, `www.${ZONE}`, { key: knot.readOnlyKey }))
    await assert.rejects(publisher.publish(CID_B), /does not know the TSIG key 'readonly-key\.': check the key name, and that the zone's update ACL names it/)
  })

  it('says the server is not authoritative for a zone it does not serve', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const publisher = createRfc2136Dnslink({}, init(knot, 'other.example'))
    await assert.rejects(publisher.publish(CID_B), /answered (REFUSED|NOTAUTH) for _dnslink\.other\.example TXT: it is not authoritative/)
  })

  it('refuses a secret that is not base64 before sending anything, without quoting it', () => {
    assert.throws(
      () => createRfc2136Dnslink({}, { domain: ZONE, server: '127.0.0.1:1', key: { name: 'k', secret: 'not base64!' } }),
      (err: Error) => /TSIG secret of key 'k' is empty or not base64/.test(err.message) && !err.message.includes('not base64!'),
    )
  })
})

describe('updateError', () => {
  const ctx = { server: '192.0.2.1:53', zone: 'blog.example', keyName: 'deploy' }
  it('turns RCODEs and TSIG errors into messages that say what to fix', () => {
    assert.equal(updateError(0, 0, ctx), undefined)
    assert.match(updateError(5, 0, ctx)?.message ?? '', /refused the update for blog\.example \(REFUSED\): the key 'deploy' may lack update rights/)
    assert.match(updateError(9, 0, ctx)?.message ?? '', /refused the update for blog\.example \(NOTAUTH\)/)
    assert.match(updateError(9, 16, ctx)?.message ?? '', /the TSIG secret for key 'deploy' is wrong/)
    assert.match(updateError(9, 18, ctx)?.message ?? '', /BADTIME\): this machine's clock/)
    assert.match(updateError(10, 0, ctx)?.message ?? '', /outside the zone blog\.example \(NOTZONE\): check `zone`/)
    assert.match(updateError(4, 0, ctx)?.message ?? '', /does not support dynamic updates/)
    assert.ok(updateError(5, 0, ctx) instanceof DnslinkAuthError)
  })
})

describe('the gateway serves the published site as a DNSLink host, resolved through Knot', () => {
  it('answers Host: <domain> with the site’s index.html', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const site = await serveSite({ init: { dnsServers: [knot.address], dnslinkCacheMs: 0 } })
    try {
      await createRfc2136Dnslink({}, init(knot, `site.${ZONE}`)).publish(site.root)
      const r = await get(site.port, '/', { host: `site.${ZONE}` })
      assert.equal(r.status, 200)
      assert.match(r.text, /<title>Home<\/title>/)
      assert.equal(r.headers['x-ipfs-path'], `/ipns/site.${ZONE}/`)
    } finally {
      await site.stop()
    }
  })
})
