/**
 * The `storacha` target's failures, each against the real w3up service code: what was wrong
 * is said in words that say what to fix, and neither the agent key nor the proof ever
 * shows up in a result, an event, an error (with its causes) or on the console.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it, mock } from 'node:test'
import type { PinProgressEvents, PinResult } from '../../src/pin/types.ts'
import { forgedProof, spaceForCi, startW3upService, type W3upService } from '../helpers/w3up-service.ts'
import { agentWithSpace, ciAgent, type PackedSite, packedSite, siteRequest, storachaPinner } from './storacha-fixture.ts'

let service: W3upService
let site: PackedSite
/** Everything the tests saw come out of the pinner, scanned for secrets at the end. */
const seen: unknown[] = []
const secrets: string[] = []
const consoleCalls = ['log', 'info', 'warn', 'error', 'debug'].map((m) => mock.method(console, m as 'log'))

before(async () => {
  service = await startW3upService()
  site = await packedSite()
})
after(() => service.close())

async function pinWith(keyAndProof: { key: string; proof: string }, init: Parameters<typeof storachaPinner>[3] = {}, fetch?: typeof globalThis.fetch): Promise<PinResult> {
  secrets.push(keyAndProof.key, keyAndProof.proof)
  const events: PinProgressEvents[] = []
  const result = await storachaPinner(service, site, keyAndProof, init, fetch ? { fetch } : {}).pin(siteRequest(site.cid), { onProgress: (e) => events.push(e) })
  seen.push(result, events)
  return result
}

function failed(result: PinResult, code: string, ...patterns: RegExp[]): void {
  assert.equal(result.status, 'failed')
  assert.equal(result.code, code, result.error)
  for (const pattern of patterns) assert.match(result.error ?? '', pattern)
}

/** Every error and its causes, as text: message and stack. */
function errorText(err: unknown): string {
  const parts: string[] = []
  for (let e = err, i = 0; e instanceof Object && i < 10; e = (e as { cause?: unknown }).cause, i++) {
    parts.push(String((e as Error).message), String((e as Error).stack))
  }
  return parts.join('\n')
}

describe('storacha failures', () => {
  it('a proof made for another agent names both DIDs and how to make the right one', async () => {
    const { secrets: theirs } = await agentWithSpace(service)
    const other = await ciAgent()
    const result = await pinWith({ key: other.key, proof: theirs.proof })
    failed(result, 'ERR_PIN_UNAUTHORIZED', /\$W3_PROOF is delegated to did:key:\S+, not to this agent/, new RegExp(other.did), /w3 delegation create/)
  })

  it('a proof that is no delegation, and a key that is no key, are named by their variables', async () => {
    const agent = await ciAgent()
    failed(await pinWith({ key: agent.key, proof: 'bm90IGEgcHJvb2Y=' }), 'ERR_PIN_UNAUTHORIZED', /\$W3_PROOF is not a base64 delegation/)
    const { secrets: ok } = await agentWithSpace(service)
    failed(await pinWith({ key: 'MgNotAKeyAtAll0000', proof: ok.proof }), 'ERR_PIN_UNAUTHORIZED', /\$W3_PRINCIPAL is not an Ed25519 private key/)
  })

  it('an expired delegation says when it expired', async () => {
    const { secrets: expired } = await agentWithSpace(service, { expiration: Math.floor(Date.now() / 1000) - 3600 })
    failed(await pinWith(expired), 'ERR_PIN_UNAUTHORIZED', /expired on \d{4}-\d\d-\d\dT/, /create a new one/)
  })

  it('a proof without the upload abilities names the missing ones; listing still works', async () => {
    const { secrets: listOnly } = await agentWithSpace(service, { abilities: ['upload/list'] })
    failed(await pinWith(listOnly), 'ERR_PIN_UNAUTHORIZED', /does not grant space\/blob\/add, space\/index\/add, filecoin\/offer, upload\/add, upload\/get on did:key:/)
    assert.deepEqual(await storachaPinner(service, site, listOnly).list({ site: 'blog' }), [])
  })

  it('a space that is not provisioned says to provision it', async () => {
    const { space, secrets: unprovisioned } = await agentWithSpace(service, { provision: false })
    failed(await pinWith(unprovisioned), 'ERR_PIN_SPACE_NOT_PROVISIONED', new RegExp(`${space} is not provisioned with ${service.did}`), /w3 space provision/)
  })

  it('a delegation not signed by the space owner is refused by the service', async () => {
    const { space } = await spaceForCi(service, { agent: (await ciAgent()).did })
    const agent = await ciAgent()
    const result = await pinWith({ key: agent.key, proof: await forgedProof(space, agent.did) })
    failed(result, 'ERR_PIN_UNAUTHORIZED', new RegExp(`${service.did} refused the delegation proof in \\$W3_PROOF for ${space}`))
  })

  it('an unreachable service, a wrong service DID and the hosted default each say what to change', async () => {
    const { secrets: ok } = await agentWithSpace(service)
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    failed(await pinWith(ok, { serviceUrl: `http://127.0.0.1:${port}/`, serviceDid: service.did }), 'ERR_PIN', /cannot reach the upload service/, /ECONNREFUSED/)
    failed(await pinWith(ok, { serviceDid: 'did:web:elsewhere.example' }), 'ERR_PIN', /is not did:web:elsewhere\.example/, /set `serviceDid`/)
    // The hosted endpoint, without leaving the machine: this fetch fails as DNS would offline.
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND up.web3.storage') })
    }
    const hosted = await pinWith(ok, { serviceUrl: undefined, serviceDid: undefined }, offline)
    failed(hosted, 'ERR_PIN', /up\.web3\.storage/, /stopped accepting writes in 2026/, /self-hosted w3up upload service/)
  })

  it('a service that never answers fails with the timeout; a cancelled pin throws AbortError', async () => {
    const { secrets: ok } = await agentWithSpace(service)
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`
    try {
      failed(await pinWith(ok, { serviceUrl: url, serviceDid: service.did, timeoutMs: 300 }), 'ERR_PIN_TIMEOUT', /did not finish within 0\.3 s/)
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
    const controller = new AbortController()
    const pinner = storachaPinner(service, site, ok)
    const pinning = pinner.pin(siteRequest(site.cid), { signal: controller.signal, onProgress: (e) => e.type === 'pin:start' && controller.abort() })
    await assert.rejects(pinning, (err: Error) => {
      seen.push(errorText(err))
      return err.name === 'AbortError'
    })
  })

  it('a 503 from the service is retried with a pin:retry event, and the pin succeeds', async () => {
    const { secrets: ok } = await agentWithSpace(service)
    let refused = 0
    const flaky: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && refused++ === 0) return new Response('busy', { status: 503 })
      return fetch(input, init)
    }
    const events: PinProgressEvents[] = []
    const result = await storachaPinner(service, site, ok, {}, { fetch: flaky }).pin(siteRequest(site.cid), { onProgress: (e) => events.push(e) })
    seen.push(result, events)
    assert.equal(result.status, 'pinned', result.error)
    const retry = events.find((e) => e.type === 'pin:retry')
    assert.match(String((retry?.detail as { reason?: string } | undefined)?.reason), /HTTP 503/)
  })

  it('list and unpin failures are thrown as PinErrors in the same words', async () => {
    const { secrets: unprovisioned } = await agentWithSpace(service, { provision: false })
    const agent = await ciAgent()
    const wrong = storachaPinner(service, site, { key: agent.key, proof: unprovisioned.proof })
    secrets.push(agent.key, unprovisioned.proof)
    for (const call of [() => wrong.list({ site: 'blog' }), () => wrong.unpin(site.cid.toString())]) {
      await assert.rejects(call(), (err: Error & { code?: string }) => {
        seen.push(errorText(err))
        return err.code === 'ERR_PIN_UNAUTHORIZED' && /^storacha: the delegation proof in \$W3_PROOF is delegated to/.test(err.message)
      })
    }
  })

  it('no secret appeared anywhere, and nothing was printed', () => {
    assert.ok(seen.length > 10)
    const texts = seen.map((s) => (typeof s === 'string' ? s : JSON.stringify(s)))
    for (const secret of new Set(secrets)) {
      // Any 16 characters of a secret in a row count as a leak, not only the whole of it.
      for (let i = 0; i + 16 <= secret.length; i += 8) {
        const piece = secret.slice(i, i + 16)
        for (const text of texts) assert.ok(!text.includes(piece), `a secret leaked into: ${text.slice(0, 200)}`)
      }
    }
    for (const method of consoleCalls) assert.equal(method.mock.callCount(), 0, `console was called: ${JSON.stringify(method.mock.calls[0]?.arguments)}`)
  })
})
