import assert from 'node:assert/strict'
import { readdir, readFile, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { PinStatusBody } from '../../../src/pin/server/index.ts'
import { eventually, type Failure, type Harness, localSite, missingCid, nodePinned, OTHER_TOKEN, type Reply, startServer, TOKEN, waitForStatus } from './helpers.ts'

const PEER = '12D3KooWGC6TvWhfapngX6wvJHMYvKpDMXPb3ZnCZ6dMoaMtimQ5'

function assertFailure(reply: Reply, status: number, reason: string, details: string | RegExp): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body))
  const body = reply.body as Failure
  assert.deepEqual(Object.keys(body), ['error'])
  assert.equal(body.error.reason, reason)
  if (typeof details === 'string') assert.equal(body.error.details, details)
  else assert.match(body.error.details ?? '', details)
  assert.doesNotMatch(JSON.stringify(body), /\n\s+at /, 'a stack trace')
}

describe('Pinning Service API: authentication and errors', () => {
  let h: Harness
  let cid: CID

  before(async () => {
    h = await startServer({ maxBodyBytes: 4096 })
    cid = await localSite(h.node, 'api')
  })

  after(async () => {
    await h?.stop()
  })

  it('answers 401 UNAUTHORIZED without a token, with a wrong token or another scheme, never echoing the token', async () => {
    const missing = await h.api('GET', '/pins', { token: null })
    assertFailure(missing, 401, 'UNAUTHORIZED', 'no access token: send the header Authorization: Bearer <token>')
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer /)
    const wrong = await h.api('POST', '/pins', { token: 'not-a-valid-token-at-all', body: { cid: cid.toString() } })
    assertFailure(wrong, 401, 'UNAUTHORIZED', 'the access token is not valid for this server')
    assert.doesNotMatch(JSON.stringify(wrong.body), /not-a-valid-token/)
    const basic = await fetch(`${h.address.url}/pins`, { headers: { Authorization: `Basic ${TOKEN}` } })
    assert.equal(basic.status, 401)
    assert.ok(!(await basic.text()).includes(TOKEN))
    const prefix = await h.api('GET', '/pins', { token: TOKEN.slice(0, -1) })
    assert.equal(prefix.status, 401)
  })

  it('refuses bad query parameters with 400 BAD_REQUEST naming the parameter and the value', async () => {
    const cases: Array<[string, string]> = [
      ['cid=notacid', 'cid: "notacid" is not a valid CID'],
      ['cid=', 'cid: expected a comma-separated list with no empty items, got ""'],
      [`cid=${cid},`, `cid: expected a comma-separated list with no empty items, got "${cid},"`],
      [`cid=${cid},${cid}`, `cid: "${cid}" is listed twice`],
      [`name=${'n'.repeat(256)}`, 'name: at most 255 characters, got 256'],
      ['name=a&name=b', 'name: given 2 times; give it once'],
      ['match=fuzzy', 'match: expected one of exact, iexact, partial, ipartial, got "fuzzy"'],
      ['status=done', 'status: "done" is not one of queued, pinning, pinned, failed'],
      ['status=pinned,pinned', 'status: "pinned" is listed twice'],
      ['before=yesterday', 'before: expected an RFC 3339 date-time such as 2020-07-27T17:32:28.276Z, got "yesterday"'],
      ['after=2020-07-27', 'after: expected an RFC 3339 date-time such as 2020-07-27T17:32:28.276Z, got "2020-07-27"'],
      ['after=2023-02-30T00:00:00Z', 'after: expected an RFC 3339 date-time such as 2020-07-27T17:32:28.276Z, got "2023-02-30T00:00:00Z"'],
      ['limit=0', 'limit: expected an integer from 1 to 1000, got "0"'],
      ['limit=1001', 'limit: expected an integer from 1 to 1000, got "1001"'],
      ['limit=1.5', 'limit: expected an integer from 1 to 1000, got "1.5"'],
      ['limit=ten', 'limit: expected an integer from 1 to 1000, got "ten"'],
      ['meta=notjson', 'meta: expected a JSON object of string values such as {"app_id":"99986338"}, got "notjson"'],
      [`meta=${encodeURIComponent('[1]')}`, 'meta: expected an object of string values, got an array'],
      [`meta=${encodeURIComponent('{"a":1}')}`, 'meta.a: expected a string, got a number'],
    ]
    for (const [query, details] of cases) assertFailure(await h.api('GET', `/pins?${query}`), 400, 'BAD_REQUEST', details)
    const tooMany = await Promise.all(Array.from({ length: 11 }, (_, i) => missingCid(`cid ${i}`)))
    assertFailure(await h.api('GET', `/pins?cid=${tooMany.join(',')}`), 400, 'BAD_REQUEST', 'cid: at most 10 CIDs, got 11')
  })

  it('refuses a bad Pin object with 400 BAD_REQUEST naming the field and the value', async () => {
    const c = cid.toString()
    const origins = Array.from({ length: 21 }, (_, i) => `/ip4/10.0.0.${i}/tcp/4001/p2p/${PEER}`)
    const cases: Array<[unknown, string]> = [
      [[], 'the body must be a Pin object (a JSON object with a "cid"), got an array'],
      [{}, 'cid: missing; a Pin object needs the CID of the DAG to pin'],
      [{ cid: 5 }, 'cid: expected a CID string, got a number'],
      [{ cid: 'nope' }, 'cid: "nope" is not a valid CID'],
      [{ cid: c, name: 7 }, 'name: expected a string, got a number'],
      [{ cid: c, name: 'n'.repeat(256) }, 'name: at most 255 characters, got 256'],
      [{ cid: c, origins: 'x' }, 'origins: expected an array of multiaddrs, got a string'],
      [{ cid: c, origins: ['garbage'] }, 'origins[0]: "garbage" is not a multiaddr'],
      [{ cid: c, origins: ['/ip4/1.2.3.4/tcp/4001'] }, 'origins[0]: "/ip4/1.2.3.4/tcp/4001" must end with /p2p/<PeerID>'],
      [{ cid: c, origins: [origins[0], origins[0]] }, `origins[1]: "${origins[0]}" is listed twice`],
      [{ cid: c, origins }, 'origins: at most 20 multiaddrs, got 21'],
      [{ cid: c, meta: 'site=blog' }, 'meta: expected an object of string values, got a string'],
      [{ cid: c, meta: { pr: 7 } }, 'meta.pr: expected a string, got a number'],
    ]
    for (const [body, details] of cases) assertFailure(await h.api('POST', '/pins', { body }), 400, 'BAD_REQUEST', details)
    assertFailure(await h.api('POST', '/pins', { raw: '' }), 400, 'BAD_REQUEST', 'the body is empty; send a Pin object such as {"cid": "bafy..."}')
    assertFailure(await h.api('POST', '/pins', { raw: '{"cid":' }), 400, 'BAD_REQUEST', /^the body is not valid JSON: /)
    // Whatever the Content-Type says (curl -d sends a form type), the body is read as JSON.
    const form = await fetch(`${h.address.url}/pins`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '{}' })
    assert.equal(form.status, 400)
    assert.equal(((await form.json()) as Failure).error.details, 'cid: missing; a Pin object needs the CID of the DAG to pin')
    const none = await h.api<{ count: number }>('GET', '/pins?status=queued,pinning,pinned,failed')
    assert.equal(none.body.count, 0, 'a refused request created a pin')
  })

  it('counts the 255 characters of a name in characters, not UTF-16 units', async () => {
    const name = '\u{1F4CC}'.repeat(255)
    const reply = await h.api<PinStatusBody>('POST', '/pins', { body: { cid: cid.toString(), name } })
    assert.equal(reply.status, 202, JSON.stringify(reply.body))
    assert.equal(reply.body.pin.name, name)
    const found = await h.api<{ count: number }>('GET', `/pins?status=queued,pinning,pinned&name=${encodeURIComponent(name)}`)
    assert.equal(found.body.count, 1)
    assert.equal((await h.api('DELETE', `/pins/${reply.body.requestid}`)).status, 202)
  })

  it('refuses a body over the size limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ cid: cid.toString(), meta: { big: 'x'.repeat(8192) } })
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${h.address.url}/pins`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      // Chunked, so the server cannot refuse by Content-Length and must count while reading.
      req.write(body.slice(0, 4000))
      req.end(body.slice(4000))
    })
    assert.equal(reply.status, 413)
    assert.deepEqual(JSON.parse(reply.text), { error: { reason: 'PAYLOAD_TOO_LARGE', details: 'the body is larger than 4096 bytes; a Pin object is much smaller' } })
  })

  it('answers 404 NOT_FOUND for an unknown requestid or path, 405 for a method the path lacks', async () => {
    assertFailure(await h.api('GET', '/pins/00000000-0000-0000-0000-000000000000'), 404, 'NOT_FOUND', 'no pin request "00000000-0000-0000-0000-000000000000" for this access token')
    assertFailure(await h.api('DELETE', '/pins/nope'), 404, 'NOT_FOUND', 'no pin request "nope" for this access token')
    assertFailure(await h.api('POST', '/pins/nope', { body: { cid: cid.toString() } }), 404, 'NOT_FOUND', 'no pin request "nope" for this access token')
    assertFailure(await h.api('GET', '/pins/%E0%A4%A'), 400, 'BAD_REQUEST', 'requestid: "%E0%A4%A" is not valid percent-encoding')
    assertFailure(await h.api('GET', '/v0/pins'), 404, 'NOT_FOUND', 'no such endpoint "/v0/pins"; the API is under /pins')
    const put = await h.api('PUT', '/pins', { body: {} })
    assertFailure(put, 405, 'METHOD_NOT_ALLOWED', 'PUT is not supported here; use GET, POST')
    assert.equal(put.headers.get('allow'), 'GET, POST')
    assertFailure(await h.api('PATCH', '/pins/nope', { body: {} }), 405, 'METHOD_NOT_ALLOWED', 'PATCH is not supported here; use GET, POST, DELETE')
  })

  it('answers /healthz without a token', async () => {
    const reply = await h.api('GET', '/healthz', { token: null })
    assert.deepEqual(reply, { status: 200, headers: reply.headers, body: { status: 'ok' } })
  })

  it('deletes a pin with 202 and no body; the pin is gone for GET, the list and the node', async () => {
    const created = await h.api<PinStatusBody>('POST', '/pins', { body: { cid: cid.toString(), name: 'to delete' } })
    await waitForStatus(h, created.body.requestid, ['pinned'])
    assert.ok(await nodePinned(h.node, cid))
    const deleted = await h.api('DELETE', `/pins/${created.body.requestid}`)
    assert.deepEqual([deleted.status, deleted.body], [202, undefined])
    assert.equal((await h.api('GET', `/pins/${created.body.requestid}`)).status, 404)
    assert.equal((await h.api<{ count: number }>('GET', '/pins?status=queued,pinning,pinned,failed')).body.count, 0)
    const removed = h.events.find((e) => e.type === 'pin-server:removed' && e.detail.requestid === created.body.requestid)
    assert.deepEqual(removed?.detail, { requestid: created.body.requestid, cid: cid.toString(), reason: 'deleted' })
    await eventually(async () => !(await nodePinned(h.node, cid)), 'the node to unpin the deleted DAG')
    assert.ok(await h.node.helia.blockstore.has(cid), 'blocks stay until gc')
  })

  it('keeps tokens out of its records on disk and out of its events', async () => {
    const created = await h.api<PinStatusBody>('POST', '/pins', { body: { cid: cid.toString(), name: 'kept' }, token: OTHER_TOKEN })
    await waitForStatus(h, created.body.requestid, ['pinned'], OTHER_TOKEN)
    const files = await readdir(h.dir)
    assert.ok(files.includes(`${created.body.requestid}.json`))
    for (const file of files) {
      const content = await readFile(join(h.dir, file), 'utf8')
      assert.ok(!content.includes(TOKEN) && !content.includes(OTHER_TOKEN), file)
    }
    const events = JSON.stringify(h.events)
    assert.ok(!events.includes(TOKEN) && !events.includes(OTHER_TOKEN))
  })

  it('answers 500 INTERNAL_SERVER_ERROR, without a stack trace, when it cannot store a pin', async () => {
    await rm(h.dir, { recursive: true, force: true })
    const reply = await h.api('POST', '/pins', { body: { cid: cid.toString() } })
    assertFailure(reply, 500, 'INTERNAL_SERVER_ERROR', 'the pin server failed while answering; its log says why')
    const error = h.events.find((e) => e.type === 'pin-server:error')
    assert.equal(error?.type, 'pin-server:error')
    assert.match(error?.type === 'pin-server:error' ? error.detail.message : '', /cannot write the pin record/)
  })
})

describe('createPinServer: created times', () => {
  it('hands out distinct, increasing created times even when the clock stands still', async () => {
    const h = await startServer({}, { now: () => new Date('2026-11-21T10:00:00.000Z') })
    try {
      const cid = await localSite(h.node, 'clock')
      const created: string[] = []
      for (let i = 0; i < 3; i++) created.push((await h.api<PinStatusBody>('POST', '/pins', { body: { cid: cid.toString() } })).body.created)
      assert.deepEqual(created, ['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.001Z', '2026-11-21T10:00:00.002Z'])
    } finally {
      await h.stop()
    }
  })
})
