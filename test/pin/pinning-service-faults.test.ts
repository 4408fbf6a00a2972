/**
 * Faults between our client and a real Pinning Service API server: a proxy in front of
 * `mock-ipfs-pinning-service` drops connections, delays, answers 500/429/409/400 and cuts
 * answers half-way. The pin still succeeds or fails with a reason that says what to do,
 * a POST never reaches the service twice, and the token appears nowhere.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, afterEach, before, describe, it } from 'node:test'
import { createPinningServicePinner, type PinResult } from '../../src/pin/index.ts'
import { type FaultAction, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.ts'
import { assertNoSecret, randomCid, recorder, request, secretToken } from './fixtures.ts'
import { type MockService, startMockService } from './mock-service.ts'

const token = secretToken()
let service: MockService
let proxy: FaultProxy

const POST_PINS = /^\/pins$/

/** A loopback port nothing listens on (one that was just free). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

before(async () => {
  service = await startMockService({ token })
  proxy = await startFaultProxy(service.url)
})

afterEach(() => proxy.clear())

after(async () => {
  await proxy.close()
  await service.stop()
})

/** Pins through the proxy with one fault on `POST /pins`, and returns the result, its events and the POSTs the service saw. */
async function pinThrough(site: string, fault?: { method?: string; path?: RegExp; action: FaultAction; times?: number }) {
  if (fault !== undefined) proxy.inject({ method: 'POST', path: POST_PINS, times: 1, ...fault })
  const pinner = createPinningServicePinner(
    {},
    { name: 'svc', endpoint: proxy.url, token, tokenEnv: 'SVC_TOKEN', timeoutMs: 5000, requestTimeoutMs: 300, retry: { minDelayMs: 10, maxDelayMs: 50 }, pollMinMs: 20 },
  )
  const before = proxy.backend.length
  const { events, onProgress } = recorder()
  const result: PinResult = await pinner.pin(request(await randomCid(), site), { onProgress })
  const posts = proxy.backend.slice(before).filter((r) => r.method === 'POST').length
  assertNoSecret(token, events, result)
  return { result, events, posts }
}

describe('pinning-service pinner through a faulty network', () => {
  it('retries a POST whose connection dropped before the service saw it, and pins once', async () => {
    const { result, events, posts } = await pinThrough('pinned-drop-before', { action: { kind: 'drop', forward: false } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
    assert.ok(events.some((e) => e.type === 'pin:retry'))
  })

  it('finds the pin a POST created when its answer was lost, instead of posting again', async () => {
    const { result, posts } = await pinThrough('pinned-drop-after', { action: { kind: 'drop', forward: true } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
  })

  it('finds the pin when the answer to a POST came too late', async () => {
    const { result, events, posts } = await pinThrough('pinned-slow', { action: { kind: 'delay', ms: 900 } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
    assert.ok(events.some((e) => e.type === 'pin:retry' && /no response within 300 ms/.test(e.detail.reason)))
  })

  it('finds the pin when the answer to a POST was cut half-way', async () => {
    const { result, posts } = await pinThrough('pinned-cut', { action: { kind: 'cut' } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
  })

  it('finds the pin when the POST was handled but answered 500', async () => {
    const { result, posts } = await pinThrough('pinned-500', { action: { kind: 'status', status: 500, forward: true } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
  })

  it('finds the new pin when the answer to a replace was lost, and replaces once', async () => {
    const site = 'pinned-replace-lost'
    const first = await pinThrough(site)
    proxy.inject({ method: 'POST', path: /^\/pins\/./, times: 1, action: { kind: 'drop', forward: true } })
    const pinner = createPinningServicePinner({}, { name: 'svc', endpoint: proxy.url, token, tokenEnv: 'SVC_TOKEN', retry: { minDelayMs: 10 } })
    const before = proxy.backend.length
    // Nothing is live (names never moved): the first pin is stale and gets replaced.
    const result = await pinner.pin(request(await randomCid(), site, { live: [] }))
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(result.replaced, first.result.requestid)
    assert.equal(proxy.backend.slice(before).filter((r) => r.method === 'POST').length, 1)
  })

  it('waits as long as a 429 Retry-After asks, then pins', async () => {
    const started = Date.now()
    const { result, events, posts } = await pinThrough('pinned-429', { action: { kind: 'status', status: 429, forward: false, retryAfter: '1' } })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(posts, 1)
    const retry = events.find((e) => e.type === 'pin:retry')
    assert.equal(retry?.detail.reason, 'HTTP 429 Too Many Requests')
    assert.ok((retry?.detail.delayMs ?? 0) >= 1000)
    assert.ok(Date.now() - started >= 1000)
  })

  it('fails with "try again later" when the service keeps answering 503, having posted nothing', async () => {
    const { result, posts } = await pinThrough('pinned-503', { method: 'GET', path: /^\/pins/, action: { kind: 'status', status: 503, forward: false }, times: 100 })
    assert.equal(result.status, 'failed')
    assert.equal(result.code, 'ERR_PIN_UNAVAILABLE')
    assert.equal(posts, 0)
    assert.match(result.error ?? '', /kept failing GET \/pins \(HTTP 503 .*INJECTED_FAULT.*\) after retries: try again later/)
  })

  it('does not retry a 409 and says the account is out of funds', async () => {
    const fault: FaultAction = { kind: 'status', status: 409, forward: false, reason: 'INSUFFICIENT_FUNDS' }
    const { result, events, posts } = await pinThrough('pinned-409', { action: fault })
    assert.equal(result.status, 'failed')
    assert.equal(result.code, 'ERR_PIN_INSUFFICIENT_FUNDS')
    assert.match(result.error ?? '', /the account at http:\/\/127\.0\.0\.1:\d+ has insufficient funds or reached a limit \(INSUFFICIENT_FUNDS/)
    assert.equal(posts, 0)
    assert.equal(events.filter((e) => e.type === 'pin:retry').length, 0)
  })

  it('does not retry a 400 and gives the reason from the error body', async () => {
    const { result } = await pinThrough('pinned-400', { action: { kind: 'status', status: 400, forward: false, reason: 'BAD_CID' } })
    assert.equal(result.status, 'failed')
    assert.match(result.error ?? '', /refused POST \/pins as invalid: BAD_CID: status 400 from the fault proxy/)
  })

  it('says the service could not be reached when nothing listens', async () => {
    const port = await closedPort()
    const pinner = createPinningServicePinner({}, { name: 'svc', endpoint: `http://127.0.0.1:${port}`, token, tokenEnv: 'SVC_TOKEN', retry: { retries: 1, minDelayMs: 5 } })
    const result = await pinner.pin(request(await randomCid(), 'nowhere'))
    assert.equal(result.status, 'failed')
    assert.match(result.error ?? '', new RegExp(`http://127\\.0\\.0\\.1:${port} could not be reached for GET /pins: fetch failed: connect ECONNREFUSED`))
    assertNoSecret(token, result)
  })

  it('says which variable to set when the token is missing', async () => {
    const pinner = createPinningServicePinner({}, { name: 'svc', endpoint: proxy.url, token: undefined, tokenEnv: 'SVC_TOKEN' })
    const result = await pinner.pin(request(await randomCid(), 'no-token'))
    assert.equal(result.status, 'failed')
    assert.match(result.error ?? '', /the environment variable SVC_TOKEN is not set/)
  })
})
