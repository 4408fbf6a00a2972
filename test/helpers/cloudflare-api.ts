/**
 * A local stand-in for Cloudflare's API v4, following its documented request and response
 * shapes, so the Cloudflare DNSLink publisher is tested against HTTP rather than mocks.
 * What it follows:
 * - Envelope `{ success, errors: [{ code, message }], messages, result, result_info }` and
 *   pagination (`page`, `per_page`; `result_info: { page, per_page, count, total_count,
 *   total_pages }`): https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/
 * - Zones by name: https://developers.cloudflare.com/api/resources/zones/methods/list/
 * - Create (POST), edit (PATCH), overwrite (PUT), delete (DELETE) a record:
 *   https://developers.cloudflare.com/api/resources/dns/subresources/records/
 * - TXT content as quoted character-strings (the record schema's `content`).
 * - Bearer tokens; 403 with code 10000 when the token lacks the permission:
 *   https://developers.cloudflare.com/fundamentals/api/troubleshooting/ and
 *   https://developers.cloudflare.com/changelog/post/2026-08-20-contextual-403s/
 * - Records a Web3 gateway created "cannot be edited within Cloudflare DNS":
 *   https://developers.cloudflare.com/web3/reference/gateway-dns-records/ ; the API answers
 *   400 with code 1049 (the text below, as reported in
 *   https://github.com/ipfs-shipyard/ipfs-deploy/issues/236).
 * - 429 with `Retry-After` over the rate limit: https://developers.cloudflare.com/fundamentals/api/reference/limits/
 * - 81058 "An identical record already exists." and 81044 "Record does not exist." for
 *   duplicate creates and unknown ids.
 * Records are also published to `dns` (name → TXT strings), which a test serves over real
 * DNS with `startDnsServer` so the publisher's authoritative check has something to ask.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseTxtContent, txtChunks } from '../../src/name/dnslink/record.ts'

export interface CfRecord {
  id: string
  zone_id: string
  zone_name: string
  name: string
  type: string
  content: string
  ttl: number
  proxied: boolean
  proxiable: boolean
  comment: string | null
  tags: string[]
  meta: Record<string, unknown>
  created_on: string
  modified_on: string
}

export interface FakeCloudflare {
  url: string
  /** Tokens and what they may do. */
  tokens: Map<string, 'edit' | 'read'>
  records: CfRecord[]
  /** Record ids a Web3 gateway owns: edits and deletes answer 1049. */
  web3: Set<string>
  /** `METHOD /path?query` of every request, in order. */
  requests: string[]
  /** TXT strings by lower-case name, as the zone's DNS answers them. */
  dns: Map<string, string[][]>
  /** While true, changes are not pushed to `dns` (as if propagation were slow). */
  holdDns: boolean
  /** Pages hold at most this many items whatever `per_page` asks, so a test can make several pages. */
  maxPerPage: number
  addRecord(name: string, content: string, options?: { ttl?: number; web3?: boolean }): CfRecord
  /** The next `count` requests answer 429 with this Retry-After. */
  rateLimit(count: number, retryAfterSeconds: number): void
  syncDns(): void
  close(): Promise<void>
}

const id = (): string => randomBytes(16).toString('hex')
const now = (): string => new Date().toISOString()

export async function startCloudflare(zoneNames: string[]): Promise<FakeCloudflare> {
  const zones = zoneNames.map((name) => ({ id: id(), name, status: 'active', name_servers: ['ada.ns.cloudflare.com', 'lee.ns.cloudflare.com'] }))
  let limited = 0
  let retryAfter = 0
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const fail = (res: ServerResponse, status: number, code: number, message: string): void =>
    send(res, status, { success: false, errors: [{ code, message }], messages: [], result: null })
  const page = <T>(res: ServerResponse, items: T[], query: URLSearchParams): void => {
    const perPage = Math.min(fake.maxPerPage, Number(query.get('per_page') ?? 100))
    const number = Number(query.get('page') ?? 1)
    const slice = items.slice((number - 1) * perPage, number * perPage)
    const info = { page: number, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) }
    send(res, 200, { success: true, errors: [], messages: [], result: slice, result_info: info })
  }

  const fake: FakeCloudflare = {
    url: '',
    tokens: new Map(),
    records: [],
    web3: new Set(),
    requests: [],
    dns: new Map(),
    holdDns: false,
    maxPerPage: Number.POSITIVE_INFINITY,
    addRecord(name, content, options = {}) {
      const zone = zones.find((z) => name === z.name || name.endsWith(`.${z.name}`))!
      const record: CfRecord = {
        ...{ id: id(), zone_id: zone.id, zone_name: zone.name, name, type: 'TXT', content, ttl: options.ttl ?? 1 },
        ...{ proxied: false, proxiable: false, comment: null, tags: [], meta: {}, created_on: now(), modified_on: now() },
      }
      fake.records.push(record)
      if (options.web3 === true) fake.web3.add(record.id)
      fake.syncDns()
      return record
    },
    rateLimit(count, seconds) {
      limited = count
      retryAfter = seconds
    },
    syncDns() {
      if (fake.holdDns) return
      fake.dns.clear()
      for (const r of fake.records) {
        const strings = fake.dns.get(r.name) ?? []
        strings.push(txtChunks(parseTxtContent(r.content)).map((c) => c.toString('utf8')))
        fake.dns.set(r.name, strings)
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    fake.requests.push(`${req.method} ${url.pathname}${url.search}`)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    if (limited > 0) {
      limited--
      send(res, 429, { success: false, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }], messages: [], result: null }, { 'retry-after': String(retryAfter) })
      return
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const access = token === undefined ? undefined : fake.tokens.get(token)
    if (access === undefined) return fail(res, 400, 1000, 'Invalid API Token')
    const parts = url.pathname.replace(/^\/client\/v4/, '').split('/').filter((p) => p !== '')
    if (req.method === 'GET' && parts.length === 1 && parts[0] === 'zones') {
      return page(res, zones.filter((z) => !url.searchParams.has('name') || z.name === url.searchParams.get('name')), url.searchParams)
    }
    const zone = zones.find((z) => z.id === parts[1])
    if (parts[0] !== 'zones' || zone === undefined || parts[2] !== 'dns_records') return fail(res, 404, 7003, 'Could not route to the requested resource')
    if (req.method === 'GET' && parts.length === 3) {
      const q = url.searchParams
      const found = fake.records.filter((r) => r.zone_id === zone.id && (!q.has('type') || r.type === q.get('type')) && (!q.has('name') || r.name === q.get('name')))
      return page(res, found, q)
    }
    if (access !== 'edit') return fail(res, 403, 10000, 'Authentication error')
    const body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString()) as Partial<CfRecord>)
    if (req.method === 'POST' && parts.length === 3) {
      if (body.type === undefined || body.name === undefined || body.content === undefined) return fail(res, 400, 9005, 'Content for TXT record is invalid.')
      const same = fake.records.some((r) => r.name === body.name && r.type === body.type && parseTxtContent(r.content) === parseTxtContent(body.content ?? ''))
      if (same) return fail(res, 400, 81058, 'An identical record already exists.')
      const created = fake.addRecord(body.name, body.content, { ttl: body.ttl ?? 1 })
      created.comment = body.comment ?? null
      return send(res, 200, { success: true, errors: [], messages: [], result: created })
    }
    const record = fake.records.find((r) => r.id === parts[3] && r.zone_id === zone.id)
    if (record === undefined || parts.length !== 4) return fail(res, 404, 81044, 'Record does not exist.')
    if (fake.web3.has(record.id)) {
      return fail(res, 400, 1049, 'Unable to edit this record. It was generated by Cloudflare and can be modified in your Web3 Gateway configuration.')
    }
    if (req.method === 'DELETE') {
      fake.records = fake.records.filter((r) => r !== record)
      fake.syncDns()
      return send(res, 200, { success: true, errors: [], messages: [], result: { id: record.id } })
    }
    if (req.method === 'PUT' && (body.type === undefined || body.name === undefined || body.content === undefined)) {
      return fail(res, 400, 9005, 'Content for TXT record is invalid.')
    }
    if (req.method === 'PATCH' || req.method === 'PUT') {
      Object.assign(record, { content: body.content ?? record.content, ttl: body.ttl ?? record.ttl, modified_on: now() })
      fake.syncDns()
      return send(res, 200, { success: true, errors: [], messages: [], result: record })
    }
    fail(res, 405, 10405, 'Method not allowed')
  }

  const server = createServer((req, res) => void handle(req, res))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`
  return fake
}
