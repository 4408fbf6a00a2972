import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ipnsResolver } from '@helia/ipns'
import { delegatedHTTPRouting } from '@helia/routers'
import type { PrivateKey } from '@libp2p/interface'
import { createHeliaLight } from 'helia'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { validate } from 'ipns/validator'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import type { NameProgressEvents } from '../../src/events.ts'
import { createIpnsPublisher, type IpnsInit, openKeystore } from '../../src/name/index.ts'
import { type EmbeddedNode, openNode } from '../../src/node/index.ts'
import { type RoutingServer, startRoutingServer } from '../helpers/routing-server.ts'

/** Retries the tests do not wait for: a refused request fails at once. */
const NO_RETRIES = { retries: 0 }
const HOUR_MS = 60 * 60 * 1000

const SITE_A = CID.parse('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
const SITE_B = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const SITE_C = CID.parse('bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4')

let dir: string
let routerA: RoutingServer
let routerB: RoutingServer
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-ipns-routing-'))
  ;[routerA, routerB] = await Promise.all([startRoutingServer(), startRoutingServer()])
})
after(async () => {
  await Promise.all([routerA.stop(), routerB.stop()])
  await rm(dir, { recursive: true, force: true })
})

/** A node over its own store, with a publisher for key `key` pushing to both routers. */
async function setup(name: string, init: IpnsInit = {}, fetchFn?: typeof fetch) {
  const store = join(dir, name)
  const node = await openNode(store, { offline: true })
  const keystore = openKeystore(store)
  const publisher = createIpnsPublisher({ helia: node.helia, keystore, fetch: fetchFn }, { routers: [routerA.url, routerB.url], retry: NO_RETRIES, ...init })
  return { store, node, keystore, publisher, key: async () => (await keystore.getOrCreate(init.key ?? 'site')).privateKey }
}

const routingKey = (key: PrivateKey): Uint8Array => multihashToIPNSRoutingKey(key.publicKey.toMultihash())
const nameOf = (key: PrivateKey): string => key.publicKey.toCID().toString(base36)

/** A record for `key` PUT through the server's own API, as another publisher would. */
async function putThroughApi(server: RoutingServer, key: PrivateKey, value: CID, sequence: bigint, lifetimeMs = HOUR_MS): Promise<Response> {
  const record = await createIPNSRecord(key, value, sequence, lifetimeMs, { v1Compatible: true, ttlNs: 1_000_000n })
  const response = await fetch(`${server.url}/routing/v1/ipns/${nameOf(key)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.ipfs.ipns-record' },
    body: new Uint8Array(marshalIPNSRecord(record)),
  })
  await response.body?.cancel()
  return response
}

/** What a second, unrelated Helia resolves the name to through the routing API (@helia/ipns + the delegated routing client). */
async function resolveElsewhere(server: RoutingServer, name: string): Promise<{ value: string; sequence: bigint | undefined }> {
  const helia = createHeliaLight({ routers: [delegatedHTTPRouting({ url: server.url, cacheTTL: 0 })], blockBrokers: [] })
  await helia.start()
  try {
    for await (const result of ipnsResolver(helia).resolve(CID.parse(name, base36), { nocache: true })) {
      return { value: result.value, sequence: result.record.sequence }
    }
    throw new Error(`${name} resolved to nothing`)
  } finally {
    await helia.stop()
  }
}

const stopAll = (node: EmbeddedNode): Promise<void> => node.stop()

describe('createIpnsPublisher with delegated routing', () => {
  it('puts a V1+V2 record on every router, and a separate node resolves it through the routing API', async () => {
    const { node, publisher, key } = await setup('publish')
    try {
      assert.equal(publisher.kind, 'ipns')
      assert.equal(await publisher.current(), undefined, 'no key yet: no value')
      const events: NameProgressEvents[] = []
      const result = await publisher.publish(SITE_A, { onProgress: (e) => events.push(e) })
      const privateKey = await key()
      assert.equal(result.name, nameOf(privateKey))
      assert.equal(result.value, `/ipfs/${SITE_A}`)
      assert.equal(result.sequence, 1n)
      assert.equal(result.previous, undefined)
      assert.equal(result.status, 'updated')
      assert.deepEqual(result.routers, [routerA.url, routerB.url])
      const types = events.map((e) => e.type)
      assert.deepEqual(types.filter((t) => t === 'name:ipns:fetched' || t === 'name:ipns:put' || t === 'name:ipns:checked').sort(), [
        'name:ipns:checked',
        'name:ipns:checked',
        'name:ipns:fetched',
        'name:ipns:fetched',
        'name:ipns:put',
        'name:ipns:put',
      ])
      assert.ok(types.lastIndexOf('name:ipns:checked') < types.indexOf('name:ipns:published'), 'published once every router serves it')

      for (const server of [routerA, routerB]) {
        const held = server.held(routingKey(privateKey))
        assert.ok(held !== undefined)
        await validate(privateKey.publicKey, held)
        assert.ok('signatureV1' in unmarshalIPNSRecord(held), 'V1-compatible')
        assert.deepEqual(await resolveElsewhere(server, result.name), { value: `/ipfs/${SITE_A}`, sequence: 1n })
      }
      assert.equal(await publisher.current(), `/ipfs/${SITE_A}`)
    } finally {
      await stopAll(node)
    }
  })

  it('republishes the current value with the next sequence and a later EOL, and names the previous value on a move', async () => {
    const { node, publisher, key } = await setup('republish', { lifetimeMs: HOUR_MS })
    try {
      const first = await publisher.publish(SITE_A)
      const again = await createIpnsPublisher({ helia: node.helia, privateKey: await key() }, { routers: [routerA.url, routerB.url], retry: NO_RETRIES }).republish()
      assert.equal(again.name, first.name)
      assert.equal(again.value, first.value)
      assert.equal(again.previous, first.value)
      assert.equal(again.sequence, 2n)
      assert.ok(Date.parse(again.validity) > Date.parse(first.validity) + HOUR_MS, `${again.validity} is a fresh 30 days`)
      assert.deepEqual(await resolveElsewhere(routerB, first.name), { value: first.value, sequence: 2n })

      const moved = await publisher.publish(SITE_B)
      assert.equal(moved.previous, `/ipfs/${SITE_A}`)
      assert.equal(moved.sequence, 3n)
    } finally {
      await stopAll(node)
    }
  })

  it('keeps the sequence rising across a restart of the store, and goes above a higher record already on one router', async () => {
    const setupRestart = () => setup('restart', { key: 'blog' })
    let privateKey: PrivateKey
    {
      const { node, publisher, key } = await setupRestart()
      try {
        assert.equal((await publisher.publish(SITE_A)).sequence, 1n)
        privateKey = await key()
      } finally {
        await stopAll(node)
      }
    }
    const put = await putThroughApi(routerA, privateKey, SITE_C, 10n)
    assert.equal(put.status, 200)
    const { node, publisher } = await setupRestart()
    try {
      assert.equal(await publisher.current(), `/ipfs/${SITE_C}`, 'the highest valid sequence anywhere')
      const result = await publisher.publish(SITE_B)
      assert.equal(result.sequence, 11n)
      assert.equal(result.previous, `/ipfs/${SITE_C}`)
      assert.equal(unmarshalIPNSRecord(routerB.held(routingKey(privateKey)) as Uint8Array).sequence, 11n, 'router B jumped from 1 to 11 too')
    } finally {
      await stopAll(node)
    }
  })

  it('never lets a record signed by another key count: the router refuses it, and one served anyway is ignored', async () => {
    const { node, publisher, key, keystore } = await setup('wrong-key')
    try {
      const privateKey = await key()
      const intruder = (await keystore.getOrCreate('intruder')).privateKey
      const forged = await createIPNSRecord(intruder, SITE_C, 1000n, HOUR_MS, { v1Compatible: true })
      const refused = await fetch(`${routerA.url}/routing/v1/ipns/${nameOf(privateKey)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.ipfs.ipns-record' },
        body: new Uint8Array(marshalIPNSRecord(forged)),
      })
      assert.ok(refused.status >= 400, `the server refused it (HTTP ${refused.status})`)
      assert.equal(routerA.held(routingKey(privateKey)), undefined)

      // A router that serves it regardless (buggy, or lying): not the name's value, not its sequence.
      routerA.plant(routingKey(privateKey), marshalIPNSRecord(forged))
      assert.equal(await publisher.current(), undefined)
      const events: NameProgressEvents[] = []
      // That router keeps serving the forgery (its sequence beats ours), so the publish cannot succeed there.
      await assert.rejects(publisher.publish(SITE_A, { onProgress: (e) => events.push(e) }), {
        name: 'NameError',
        message: new RegExp(`${routerA.url} serves a record that does not verify against the name`),
      })
      const fetched = events.find((e) => e.type === 'name:ipns:fetched' && e.detail.source === routerA.url)
      assert.equal(fetched?.type === 'name:ipns:fetched' ? fetched.detail.state : undefined, 'invalid')
      assert.equal(unmarshalIPNSRecord(routerB.held(routingKey(privateKey)) as Uint8Array).sequence, 1n, 'the forged 1000 did not raise our sequence')
    } finally {
      await stopAll(node)
    }
  })

  it('never serves an expired record as current, but still publishes above its sequence', async () => {
    const { node, publisher, key } = await setup('expired')
    try {
      const privateKey = await key()
      const { createIPNSRecordWithExpiration } = await import('ipns')
      const expired = await createIPNSRecordWithExpiration(privateKey, SITE_C, 5n, '2020-01-01T00:00:00.000000000Z', { v1Compatible: true })
      routerA.plant(routingKey(privateKey), marshalIPNSRecord(expired))
      assert.equal(await publisher.current(), undefined)
      await assert.rejects(publisher.republish(), { name: 'NameError', message: /has no valid record .* so there is no value to republish/ })
      assert.equal(unmarshalIPNSRecord(routerA.held(routingKey(privateKey)) as Uint8Array).sequence, 5n, 'a failed republish put nothing')
      const result = await publisher.publish(SITE_A)
      assert.equal(result.sequence, 6n)
      assert.equal(result.previous, undefined)
    } finally {
      await stopAll(node)
    }
  })
})
