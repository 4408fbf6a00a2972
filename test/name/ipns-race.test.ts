import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { PrivateKey } from '@libp2p/interface'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import type { NameProgressEvents } from '../../src/events.ts'
import { judge } from '../../src/name/ipns-check.ts'
import { createIpnsPublisher, localIpnsRecords, openKeystore } from '../../src/name/index.ts'
import { openNode } from '../../src/node/index.ts'
import { type RoutingServer, startRoutingServer } from '../helpers/routing-server.ts'

const HOUR_MS = 60 * 60 * 1000
const OURS = CID.parse('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
const THEIRS = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const EARLIER = CID.parse('bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4')

let dir: string
let router: RoutingServer
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-ipns-race-'))
  router = await startRoutingServer()
})
after(async () => {
  await router.stop()
  await rm(dir, { recursive: true, force: true })
})

const routingKey = (key: PrivateKey): Uint8Array => multihashToIPNSRoutingKey(key.publicKey.toMultihash())

/** Another deploy's record, PUT through the server's API. */
async function rivalPut(key: PrivateKey, value: CID, sequence: bigint, lifetimeMs: number): Promise<void> {
  const record = await createIPNSRecord(key, value, sequence, lifetimeMs, { v1Compatible: true })
  const name = key.publicKey.toCID().toString(base36)
  const response = await fetch(`${router.url}/routing/v1/ipns/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.ipfs.ipns-record' },
    body: new Uint8Array(marshalIPNSRecord(record)),
  })
  assert.equal(response.status, 200, await response.text())
}

/**
 * A publish whose first PUT is preceded by the rival's: the rival read the same sequence
 * and signed between our GET and our PUT. Returns what our publish threw.
 */
async function raceAgainst(name: string, rival: { sequence: bigint; lifetimeMs: number }): Promise<{ error: unknown; key: PrivateKey }> {
  const store = join(dir, name)
  const node = await openNode(store, { offline: true })
  try {
    const { privateKey } = await openKeystore(store).getOrCreate('site')
    await rivalPut(privateKey, EARLIER, 10n, HOUR_MS) // The name's history: sequence 10.
    let raced = false
    const interfering: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && !raced) {
        raced = true
        await rivalPut(privateKey, THEIRS, rival.sequence, rival.lifetimeMs)
      }
      return fetch(input, init)
    }
    const publisher = createIpnsPublisher(
      { helia: node.helia, keystore: openKeystore(store), fetch: interfering },
      { routers: [router.url], lifetimeMs: HOUR_MS, retry: { retries: 0 } },
    )
    const error = await publisher.publish(OURS).then(
      () => undefined,
      (err: unknown) => err,
    )
    assert.ok(raced, 'the rival got in between')
    assert.equal(await localIpnsRecords(node.helia).get(routingKey(privateKey)), undefined, 'a lost race leaves the local name alone')
    return { error, key: privateKey }
  } finally {
    await node.stop()
  }
}

describe('publishing while another deploy publishes the same name', () => {
  it('fails clearly when the other deploy signed the same sequence and the router kept theirs', async () => {
    // Both read 10 and signed 11; theirs lives longer, so the router's selector keeps it.
    const { error, key } = await raceAgainst('same-sequence', { sequence: 11n, lifetimeMs: 2 * HOUR_MS })
    assert.ok(error instanceof Error)
    assert.equal(error.name, 'IpnsRaceError')
    assert.match(error.message, new RegExp(`holds sequence 11 → /ipfs/${THEIRS}`))
    assert.match(error.message, new RegExp(`ours \\(sequence 11 → /ipfs/${OURS}\\)`))
    assert.match(error.message, /The other deploy won the name.*Run this deploy again/)
    assert.equal(unmarshalIPNSRecord(router.held(routingKey(key)) as Uint8Array).value, `/ipfs/${THEIRS}`)

    // Run again, as the message says: the winner is the current value, and ours goes above it.
    const store = join(dir, 'same-sequence')
    const node = await openNode(store, { offline: true })
    try {
      const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }, { routers: [router.url], retry: { retries: 0 } })
      assert.equal(await publisher.current(), `/ipfs/${THEIRS}`)
      const result = await publisher.publish(OURS)
      assert.equal(result.sequence, 12n)
      assert.equal(result.previous, `/ipfs/${THEIRS}`)
    } finally {
      await node.stop()
    }
  })

  it('fails clearly when the other deploy got a higher sequence in first', async () => {
    const { error } = await raceAgainst('higher-sequence', { sequence: 12n, lifetimeMs: HOUR_MS })
    assert.ok(error instanceof Error)
    assert.equal(error.name, 'IpnsRaceError')
    assert.match(error.message, new RegExp(`holds sequence 12 → /ipfs/${THEIRS}`))
  })
})

describe('judge', () => {
  const ours = { sequence: 7n, value: `/ipfs/${OURS}` }
  const seen = (sequence: bigint, value: string, state: 'valid' | 'expired' = 'valid') => ({ source: 'http://router', state, sequence, value })

  it('accepts our own record, and a higher sequence with the same value (a re-publish of this very CID)', () => {
    assert.deepEqual(judge(seen(7n, ours.value), ours), { ok: true })
    assert.deepEqual(judge(seen(9n, ours.value), ours), { ok: true })
  })

  it('calls the same or a higher sequence with another value a race, and anything else a router that did not take the record', () => {
    for (const sequence of [7n, 8n]) {
      const race = judge(seen(sequence, `/ipfs/${THEIRS}`), ours)
      assert.equal(race.ok === false && race.race, true, `sequence ${sequence}`)
    }
    for (const other of [seen(6n, ours.value), { source: 'http://router', state: 'none' as const }, { source: 'x', state: 'invalid' as const, reason: 'bad' }]) {
      const verdict = judge(other, ours)
      assert.equal(verdict.ok === false && verdict.race, false, JSON.stringify(other, (_, v) => (typeof v === 'bigint' ? String(v) : v)))
    }
  })
})

describe('createIpnsPublisher when a router misbehaves', () => {
  it('stops before signing anything: no router and no local record changes', async () => {
    const store = join(dir, 'unreachable')
    const down = await startRoutingServer()
    await down.stop()
    const node = await openNode(store, { offline: true })
    try {
      const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }, { routers: [router.url, down.url], retry: { retries: 0 } })
      const putsBefore = router.puts
      await assert.rejects(publisher.publish(OURS), (err: Error & { router?: string }) => {
        assert.equal(err.name, 'IpnsRoutingError')
        assert.equal(err.router, down.url)
        assert.match(err.message, new RegExp(`${down.url}: GET of the IPNS record for k51\\w+ failed: .*ECONNREFUSED`))
        return true
      })
      assert.equal(router.puts, putsBefore)
      const { privateKey } = await openKeystore(store).getOrCreate('site')
      assert.equal(await localIpnsRecords(node.helia).get(routingKey(privateKey)), undefined)
    } finally {
      await node.stop()
    }
  })

  it('retries a router that is busy for a moment, says so, and publishes', async () => {
    const store = join(dir, 'busy')
    const node = await openNode(store, { offline: true })
    try {
      let busy = true
      const onceBusy: typeof fetch = async (input, init) => {
        if (!busy) return fetch(input, init)
        busy = false
        return new Response('busy', { status: 503, headers: { 'retry-after': '0' } })
      }
      const publisher = createIpnsPublisher(
        { helia: node.helia, keystore: openKeystore(store), fetch: onceBusy },
        { routers: [router.url], retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } },
      )
      const events: NameProgressEvents[] = []
      const result = await publisher.publish(OURS, { onProgress: (e) => events.push(e) })
      assert.equal(result.sequence, 1n)
      const retry = events.find((e) => e.type === 'name:ipns:retry')
      assert.deepEqual(retry?.detail, { name: result.name, router: router.url, attempt: 2, delayMs: 1, reason: 'HTTP 503 Service Unavailable' })
    } finally {
      await node.stop()
    }
  })
})
