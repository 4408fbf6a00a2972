import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ipnsResolver } from '@helia/ipns'
import { unixfs } from '@helia/unixfs'
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { validate } from 'ipns/validator'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import { IPNS_RECORD_LIFETIME_MS, IPNS_RECORD_TTL_MS } from '../../src/constants.ts'
import type { NameProgressEvents } from '../../src/events.ts'
import { createGateway } from '../../src/gateway/index.ts'
import { createIpnsPublisher, localIpnsRecords, nextSequence, openKeystore } from '../../src/name/index.ts'
import { type EmbeddedNode, openNode } from '../../src/node/index.ts'
import { get } from '../gateway/fixture.ts'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-ipns-'))
})
after(() => rm(dir, { recursive: true, force: true }))

/** Adds a one-page site to the node and returns its root. */
async function addSite(node: EmbeddedNode, title: string): Promise<CID> {
  const files = [{ path: 'index.html', content: new TextEncoder().encode(`<!doctype html><title>${title}</title>`) }]
  let root: CID | undefined
  for await (const entry of unixfs(node.helia).addAll(files, { wrapWithDirectory: true, profile: 'unixfs-v1-2025' })) root = entry.cid
  assert.ok(root !== undefined)
  return root
}

/** The first value the node's own resolver gives for a name, bypassing its cache. */
async function resolveName(node: EmbeddedNode, name: string): Promise<{ value: string; sequence: bigint | undefined }> {
  for await (const result of ipnsResolver(node.helia).resolve(CID.parse(name, base36), { nocache: true })) {
    return { value: result.value, sequence: result.record.sequence }
  }
  throw new Error(`${name} resolved to nothing`)
}

describe('nextSequence', () => {
  it('starts at 1 and goes strictly above the highest sequence known', () => {
    assert.equal(nextSequence(), 1n)
    assert.equal(nextSequence(undefined), 1n)
    assert.equal(nextSequence(0n), 1n)
    assert.equal(nextSequence(7n, undefined, 3n), 8n)
    assert.equal(nextSequence(2n ** 63n), 2n ** 63n + 1n)
  })
})

describe('createIpnsPublisher', () => {
  it('publishes /ipfs/<cid> under a new key, and the node’s resolver and gateway both follow it', async () => {
    const store = join(dir, 'publish')
    const node = await openNode(store, { offline: true })
    const gateway = createGateway({ helia: node.helia }, { port: 0 })
    try {
      const root = await addSite(node, 'first')
      const events: NameProgressEvents[] = []
      const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) })
      const started = Date.now()
      const result = await publisher.publish(root, { onProgress: (e) => events.push(e) })

      const key = await openKeystore(store).get('site')
      assert.equal(result.name, key.publicKey.toCID().toString(base36))
      assert.equal(result.value, `/ipfs/${root}`)
      assert.equal(result.sequence, 1n)
      assert.equal(result.key, 'site')
      assert.equal(result.keyCreated, true)
      const validity = Date.parse(result.validity)
      assert.ok(validity >= started + IPNS_RECORD_LIFETIME_MS && validity <= Date.now() + IPNS_RECORD_LIFETIME_MS, result.validity)
      assert.deepEqual(
        events.map((e) => e.type),
        ['name:ipns:key-created', 'name:ipns:published', 'name:ipns:resolved'],
      )
      assert.deepEqual(events[1]?.detail, { key: 'site', name: result.name, value: result.value, sequence: '1', validity: result.validity })

      assert.deepEqual(await resolveName(node, result.name), { value: `/ipfs/${root}`, sequence: 1n })
      const { port } = await gateway.start()
      const page = await get(port, `/ipns/${result.name}/`)
      assert.equal(page.status, 200)
      assert.match(page.text, /<title>first<\/title>/)
      const subdomain = await get(port, '/', { host: `${result.name}.ipns.localhost:${port}` })
      assert.match(subdomain.text, /<title>first<\/title>/)

      // A new publish replaces what the gateway serves at once: it reads the same local store.
      const second = await addSite(node, 'second')
      const moved = await publisher.publish(second)
      assert.equal(moved.sequence, 2n)
      assert.equal(moved.keyCreated, false)
      assert.match((await get(port, `/ipns/${result.name}/`)).text, /<title>second<\/title>/)
    } finally {
      await gateway.stop()
      await node.stop()
    }
  })

  it('serves a V1+V2 record with the TTL and lifetime asked for, that verifies against the key (?format=ipns-record)', async () => {
    const store = join(dir, 'record')
    const node = await openNode(store, { offline: true })
    const gateway = createGateway({ helia: node.helia }, { port: 0 })
    try {
      const root = await addSite(node, 'record')
      const result = await createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }).publish(root)
      const { port } = await gateway.start()
      const reply = await get(port, `/ipns/${result.name}?format=ipns-record`)
      assert.equal(reply.status, 200)
      assert.equal(reply.headers['content-type'], 'application/vnd.ipfs.ipns-record')
      const key = await openKeystore(store).get('site')
      await validate(key.publicKey, reply.body)
      const record = unmarshalIPNSRecord(reply.body)
      assert.equal(record.value, `/ipfs/${root}`)
      assert.equal(record.sequence, 1n)
      assert.equal(record.ttl, BigInt(IPNS_RECORD_TTL_MS) * 1_000_000n)
      assert.ok('signatureV1' in record && record.signatureV1.byteLength > 0, 'the record carries a V1 signature too')
      assert.equal(record.validity, result.validity)
      // A record signed by another key does not verify: the check above can fail.
      const other = await openKeystore(store).getOrCreate('other')
      await assert.rejects(validate(other.privateKey.publicKey, reply.body))
    } finally {
      await gateway.stop()
      await node.stop()
    }
  })

  it('keeps raising the sequence across a restart of the node from the same store', async () => {
    const store = join(dir, 'restart')
    let name: string
    let root: CID
    {
      const node = await openNode(store, { offline: true })
      try {
        root = await addSite(node, 'restart')
        const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }, { key: 'blog' })
        assert.equal((await publisher.publish(root)).sequence, 1n)
        name = (await publisher.publish(root)).name
      } finally {
        await node.stop()
      }
    }
    const node = await openNode(store, { offline: true })
    try {
      assert.deepEqual(await resolveName(node, name), { value: `/ipfs/${root}`, sequence: 2n })
      const result = await createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }, { key: 'blog' }).publish(root)
      assert.equal(result.name, name)
      assert.equal(result.sequence, 3n)
      assert.equal(result.keyCreated, false)
    } finally {
      await node.stop()
    }
  })

  it('goes above a stored record’s sequence even when it was not this publisher that stored it', async () => {
    const store = join(dir, 'foreign')
    const node = await openNode(store, { offline: true })
    try {
      const root = await addSite(node, 'foreign')
      const keystore = openKeystore(store)
      const { privateKey } = await keystore.getOrCreate('site')
      const { createIPNSRecord, marshalIPNSRecord } = await import('ipns')
      const stored = await createIPNSRecord(privateKey, root, 41n, 60_000, { v1Compatible: true, ttlNs: 1n })
      await localIpnsRecords(node.helia).put(multihashToIPNSRoutingKey(privateKey.publicKey.toMultihash()), marshalIPNSRecord(stored))
      const result = await createIpnsPublisher({ helia: node.helia, keystore }).publish(root)
      assert.equal(result.sequence, 42n)
    } finally {
      await node.stop()
    }
  })

  it('refuses a lifetime or TTL that is not a whole number of milliseconds, and a key name the keystore cannot hold', async () => {
    const node = await openNode(join(dir, 'options'), { offline: true })
    try {
      const keystore = openKeystore(join(dir, 'options'))
      assert.throws(() => createIpnsPublisher({ helia: node.helia, keystore }, { lifetimeMs: 0 }), { name: 'NameError', message: /`lifetimeMs`/ })
      assert.throws(() => createIpnsPublisher({ helia: node.helia, keystore }, { ttlMs: 1.5 }), { name: 'NameError', message: /`ttlMs`/ })
      assert.throws(() => createIpnsPublisher({ helia: node.helia, keystore }, { key: '../site' }), { name: 'KeystoreError', message: /not a usable key name/ })
    } finally {
      await node.stop()
    }
  })

  it('stops when its signal is aborted, before anything is signed or stored', async () => {
    const store = join(dir, 'abort')
    const node = await openNode(store, { offline: true })
    try {
      const root = await addSite(node, 'abort')
      const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) })
      await assert.rejects(publisher.publish(root, { signal: AbortSignal.abort() }), { name: 'AbortError' })
      assert.deepEqual(await openKeystore(store).list(), [])
    } finally {
      await node.stop()
    }
  })
})
