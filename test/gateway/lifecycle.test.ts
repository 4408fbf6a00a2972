import assert from 'node:assert/strict'
import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { describe, it } from 'node:test'
import type { BlockBroker } from '@helia/interface'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha512 } from 'multiformats/hashes/sha2'
import { GatewayError } from '../../src/errors.ts'
import type { GatewayProgressEvents } from '../../src/events.ts'
import { createGateway, gatewayUrls } from '../../src/gateway/index.ts'
import { get, serveSite } from './fixture.ts'

const ABSENT = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'

/** A block broker that never finds anything and reports each request and its abort. */
function hangingBroker() {
  const requested = Promise.withResolvers<AbortSignal>()
  const broker: BlockBroker = {
    name: 'hanging',
    retrieve: (_cid: CID, options = {}) => {
      const signal = options.signal ?? new AbortController().signal
      requested.resolve(signal)
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
    },
  }
  return { broker, requested: requested.promise }
}

async function networkedGateway(timeoutMs: number) {
  const { broker, requested } = hangingBroker()
  const helia = createHeliaLight({ blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore(), routers: [], blockBrokers: [broker] })
  await helia.start()
  const gateway = createGateway({ helia }, { port: 0, offline: false, timeoutMs })
  const { port } = await gateway.start()
  return {
    port,
    requested,
    async stop() {
      await gateway.stop()
      await helia.stop()
    },
  }
}

describe('createGateway: timeouts and disconnects', () => {
  it('answers 504 with Retry-After when retrieval makes no progress within timeoutMs', async () => {
    const gw = await networkedGateway(200)
    try {
      const r = await get(gw.port, `/ipfs/${ABSENT}/`)
      assert.equal(r.status, 504)
      assert.equal(r.headers['retry-after'], '30')
      assert.equal(r.text, '504 Gateway Timeout: gave up: no progress for 0.2 s while resolving or reading the content\n')
      assert.equal((await gw.requested).aborted, true, 'the retrieval was told to stop')
    } finally {
      await gw.stop()
    }
  })

  it('aborts the retrieval when the client disconnects', async () => {
    const gw = await networkedGateway(60_000)
    try {
      const req = httpRequest({ host: '127.0.0.1', port: gw.port, path: `/ipfs/${ABSENT}/`, agent: false })
      req.on('error', () => {})
      req.end()
      const signal = await gw.requested
      assert.equal(signal.aborted, false)
      req.destroy()
      await once(signal, 'abort')
      assert.equal(signal.aborted, true)
    } finally {
      await gw.stop()
    }
  })

  it('ends requests in flight and stops listening on stop()', async () => {
    const gw = await networkedGateway(60_000)
    const pending = get(gw.port, `/ipfs/${ABSENT}/`).catch((err: Error) => err)
    const signal = await gw.requested
    await gw.stop()
    assert.equal(signal.aborted, true)
    const outcome = await pending
    assert.ok(outcome instanceof Error || outcome.status === 503, 'the client got a 503 or a closed connection')
    await assert.rejects(get(gw.port, '/'), { code: 'ECONNREFUSED' })
  })
})

describe('createGateway: start()', () => {
  it('moves to the next free port with nextFreePort, and fails with GatewayError without it', async () => {
    const site = await serveSite()
    try {
      const taken = site.port
      const strict = createGateway({ helia: site.helia }, { port: taken })
      await assert.rejects(strict.start(), (err: unknown) => err instanceof GatewayError && /cannot listen on 127\.0\.0\.1 port \d+/.test(err.message))
      const moving = createGateway({ helia: site.helia }, { port: taken, nextFreePort: true })
      const address = await moving.start()
      try {
        assert.ok(address.port > taken && address.port < taken + 20, `port ${address.port}`)
        assert.equal(address.url, `http://127.0.0.1:${address.port}`)
        assert.equal((await get(address.port, `/ipfs/${site.root}/`)).status, 200)
      } finally {
        await moving.stop()
      }
    } finally {
      await site.stop()
    }
  })

  it('rejects options that cannot work, naming them', () => {
    assert.throws(() => createGateway({ helia: {} as never }, { port: 70000 }), /`port` must be an integer from 0 to 65535/)
    assert.throws(() => createGateway({ helia: {} as never }, { timeoutMs: 0 }), /`timeoutMs` must be positive/)
  })
})

describe('createGateway: progress events', () => {
  it('emits gateway:request for each answer and gateway:error when the gateway itself fails', async () => {
    const request = Promise.withResolvers<GatewayProgressEvents>()
    const error = Promise.withResolvers<GatewayProgressEvents>()
    const onProgress = (e: GatewayProgressEvents) => (e.type === 'gateway:request' ? request : error).resolve(e)
    const site = await serveSite({ init: { onProgress } })
    try {
      await get(site.port, `/ipfs/${site.root}/`)
      const answered = await request.promise
      assert.deepEqual(
        { ...answered.detail, timeMs: 0 },
        { method: 'GET', host: `127.0.0.1:${site.port}`, url: `/ipfs/${site.root}/`, status: 200, timeMs: 0 },
      )

      site.blockstore.get = () => {
        throw new Error('disk on fire')
      }
      const r = await get(site.port, `/ipfs/${site.root}/`)
      assert.equal(r.status, 500)
      assert.equal(r.text, '500 Internal Server Error: the gateway failed while answering; see its log\n')
      const failed = await error.promise
      assert.equal(failed.type === 'gateway:error' && failed.detail.message, 'disk on fire')
    } finally {
      await site.stop()
    }
  })
})

describe('gatewayUrls', () => {
  it('gives the path and subdomain URLs of a root, and no subdomain for one that fits no DNS label', async () => {
    const address = { host: '127.0.0.1', port: 8080, url: 'http://127.0.0.1:8080' }
    assert.deepEqual(gatewayUrls(address, 'QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR'), {
      path: 'http://127.0.0.1:8080/ipfs/QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR/',
      subdomain: 'http://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.localhost:8080/',
    })
    const long = CID.createV1(raw.code, await sha512.digest(new Uint8Array([1])))
    assert.deepEqual(gatewayUrls(address, long.toString()), { path: `http://127.0.0.1:8080/ipfs/${long}/`, subdomain: undefined })
  })
})
