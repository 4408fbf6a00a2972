/**
 * Interop: our Pinning Service API client against `mock-ipfs-pinning-service`, the spec
 * authors' reference server, run as a child process. A name starting with `pinned-` or
 * `failed-` makes the mock answer that status (it never advances one by itself).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createPinningServicePinner, type Pinner } from '../../src/pin/index.ts'
import { PinningServiceClient } from '../../src/pin/pinning-service-client.ts'
import { memoryNode } from '../node/node-fixtures.ts'
import { assertNoSecret, randomCid, recorder, request, secretToken } from './fixtures.ts'
import { type MockService, startMockService, UNREACHABLE_DELEGATE } from './mock-service.ts'

const token = secretToken()
let service: MockService

const quick = { retry: { minDelayMs: 5, maxDelayMs: 20 }, pollMinMs: 20, pollMaxMs: 50 }

function pinner(options: { token?: string; timeoutMs?: number } = {}): Pinner {
  return createPinningServicePinner({}, { name: 'mock', endpoint: service.url, token: options.token ?? token, tokenEnv: 'MOCK_TOKEN', timeoutMs: options.timeoutMs ?? 5000, ...quick })
}

function client(): PinningServiceClient {
  return new PinningServiceClient({ target: 'mock', endpoint: service.url, token, tokenEnv: 'MOCK_TOKEN', retry: quick.retry })
}

before(async () => {
  service = await startMockService({ token })
})

after(() => service.stop())

describe('pinning-service pinner against mock-ipfs-pinning-service', () => {
  it('creates a pin with name, meta and origins and reports it pinned', async () => {
    const cid = await randomCid()
    const { events, onProgress } = recorder()
    const result = await pinner().pin(request(cid, 'pinned-blog-create', { commit: 'abc123' }), { onProgress })
    assert.equal(result.status, 'pinned', result.error)
    assert.ok(result.requestid !== undefined)
    const stored = await client().get(result.requestid)
    assert.equal(stored?.pin.cid, cid.toString())
    assert.equal(stored?.pin.name, 'pinned-blog-create')
    assert.deepEqual(stored?.pin.meta, { site: 'pinned-blog-create', kind: 'production', commit: 'abc123' })
    assert.equal(stored?.pin.origins?.length, 1)
    assert.deepEqual(events.map((e) => e.type), ['pin:status'])
    assertNoSecret(token, events, result)
  })

  it('reports a pin the service could not make as failed, with its reason', async () => {
    const result = await pinner().pin(request(await randomCid(), 'failed-blog'))
    assert.equal(result.status, 'failed')
    assert.equal(result.code, 'ERR_PIN_FAILED')
    assert.match(result.error ?? '', /the service could not pin .*: it gave no reason/)
  })

  it('finds the existing pin on a re-run of the same deploy instead of adding another', async () => {
    const cid = await randomCid()
    const first = await pinner().pin(request(cid, 'pinned-blog-rerun'))
    const { events, onProgress } = recorder()
    const again = await pinner().pin(request(cid, 'pinned-blog-rerun'), { onProgress })
    assert.equal(again.status, 'pinned')
    assert.equal(again.existing, true)
    assert.equal(again.requestid, first.requestid)
    assert.ok(events.some((e) => e.type === 'pin:existing'))
    const all = await client().list({ name: 'pinned-blog-rerun', status: ['queued', 'pinning', 'pinned', 'failed'] })
    assert.equal(all.length, 1)
  })

  it('replaces the stale production pin, never the live one, and keeps previews apart', async () => {
    const site = 'pinned-blog-replace'
    const [v1, v2, v3] = [await randomCid(), await randomCid(), await randomCid()]
    const p1 = await pinner().pin(request(v1, site))
    // v1 is live: the new version is added beside it.
    const p2 = await pinner().pin(request(v2, site, { live: [v1.toString()] }))
    assert.equal(p2.replaced, undefined)
    const preview = await pinner().pin(request(await randomCid(), site, { preview: 'pr-7' }))
    // The names moved to v2: v1 is stale now and gets replaced by v3.
    const { events, onProgress } = recorder()
    const p3 = await pinner().pin(request(v3, site, { live: [v2.toString()] }), { onProgress })
    assert.equal(p3.status, 'pinned')
    assert.equal(p3.replaced, p1.requestid)
    assert.ok(events.some((e) => e.type === 'pin:replace' && e.detail.replaces === p1.requestid))
    assert.equal(await client().get(p1.requestid!), undefined)
    assert.equal((await client().get(p2.requestid!))?.status, 'pinned')
    assert.equal((await client().get(preview.requestid!))?.pin.name, `${site}@pr-7`)
    const production = await pinner().list({ site, kind: 'production' })
    assert.deepEqual(production.map((p) => p.cid).sort(), [v2.toString(), v3.toString()].sort())
    const previews = await pinner().list({ site, kind: 'preview' })
    assert.deepEqual(previews.map((p) => [p.name, p.meta.preview]), [[`${site}@pr-7`, 'pr-7']])
  })

  it('without the live CID, replaces no pinned pin: the new version is added', async () => {
    const site = 'pinned-blog-unknown-live'
    const p1 = await pinner().pin(request(await randomCid(), site))
    const p2 = await pinner().pin(request(await randomCid(), site))
    assert.equal(p2.replaced, undefined)
    assert.equal((await client().get(p1.requestid!))?.status, 'pinned')
  })

  it('lists pins with the cid, name and status filters', async () => {
    const [a, b] = [await randomCid(), await randomCid()]
    await pinner().pin(request(a, 'pinned-list-a'))
    await pinner().pin(request(b, 'failed-list-b'))
    const byCid = await client().list({ cid: [a.toString(), b.toString()], status: ['pinned', 'failed'] })
    assert.deepEqual(byCid.map((p) => p.pin.cid).sort(), [a.toString(), b.toString()].sort())
    const byName = await client().list({ name: 'pinned-list-a', status: ['pinned'] })
    assert.deepEqual(byName.map((p) => p.pin.cid), [a.toString()])
    const failedOnly = await client().list({ cid: [a.toString(), b.toString()], status: ['failed'] })
    assert.deepEqual(failedOnly.map((p) => p.pin.cid), [b.toString()])
    assert.deepEqual(await client().list({ cid: [a.toString()], status: ['queued'] }), [])
  })

  it('deletes a pin by request id, and treats an unknown one as already gone', async () => {
    const result = await pinner().pin(request(await randomCid(), 'pinned-delete'))
    await pinner().unpin(result.requestid!)
    assert.equal(await client().get(result.requestid!), undefined)
    assert.equal(await client().remove(result.requestid!), false)
  })

  it('says which variable holds a refused token, and never shows the token', async () => {
    const wrong = secretToken()
    const { events, onProgress } = recorder()
    const result = await pinner({ token: wrong }).pin(request(await randomCid(), 'pinned-401'), { onProgress })
    assert.equal(result.status, 'failed')
    assert.equal(result.code, 'ERR_PIN_UNAUTHORIZED')
    assert.match(result.error ?? '', /the token in \$MOCK_TOKEN was refused by http:\/\/127\.0\.0\.1:\d+ \(access token is invalid\): check it/)
    await assert.rejects(pinner({ token: wrong }).list({ site: 'x' }), (err: Error) => {
      assertNoSecret(wrong, err)
      return err.name === 'PinUnauthorizedError'
    })
    assertNoSecret(wrong, events, result)
    assertNoSecret(token, events, result)
  })

  it('gives up after the timeout on a pin that stays queued, having dialled the delegates', async () => {
    const node = await memoryNode()
    try {
      const dialling = createPinningServicePinner(
        { dial: (address, options) => node.dial(address, options) },
        { name: 'mock', endpoint: service.url, token, tokenEnv: 'MOCK_TOKEN', timeoutMs: 400, ...quick },
      )
      const { events, onProgress } = recorder()
      const result = await dialling.pin(request(await randomCid(), 'stays-queued'), { onProgress })
      assert.equal(result.status, 'failed')
      assert.equal(result.code, 'ERR_PIN_TIMEOUT')
      assert.match(result.error ?? '', /still queued after 400 ms .*a re-run picks it up/)
      const dial = events.find((e) => e.type === 'pin:delegate')
      assert.equal(dial?.detail.address, UNREACHABLE_DELEGATE)
      assert.equal(dial?.detail.ok, false)
      assert.deepEqual(events.filter((e) => e.type === 'pin:status').map((e) => e.detail.status), ['queued'])
    } finally {
      await node.stop()
    }
  })
})
