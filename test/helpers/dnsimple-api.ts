/**
 * A local stand-in for DNSimple's API v2, following its documentation:
 * - Bearer tokens, `{ data }` bodies, errors as `{ message, errors? }` (401 "Authentication
 *   failed", 403 "Permission Denied. Required Scope: …", 404, 400 "Validation failed"),
 *   pagination (`page`, `per_page`; `pagination: { current_page, per_page, total_entries,
 *   total_pages }`) and the rate limit (429 `{"message":"quota exceeded"}` with
 *   X-RateLimit-Limit/Remaining/Reset): https://developer.dnsimple.com/v2/
 * - `GET /whoami` (an account token answers `{ data: { user: null, account: {…} } }`):
 *   https://developer.dnsimple.com/v2/identity/#whoami
 * - Zone records: list with `name`/`type` filters, create (201), update (PATCH), delete
 *   (204); names relative to the zone: https://developer.dnsimple.com/v2/zones/records/
 * Records are also published to `dns` (name → TXT strings) for a local DNS server.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseTxtContent, txtChunks } from '../../src/name/dnslink/record.ts'

export interface DnsimpleRecord {
  id: number
  zone_id: string
  parent_id: null
  name: string
  content: string
  ttl: number
  priority: null
  type: string
  regions: string[]
  system_record: boolean
  created_at: string
  updated_at: string
}

export interface FakeDnsimple {
  url: string
  account: number
  /** Tokens: `write` may change records, `read` only list them, `user` is a user token (whoami has no account). */
  tokens: Map<string, 'write' | 'read' | 'user'>
  records: DnsimpleRecord[]
  requests: string[]
  dns: Map<string, string[][]>
  addRecord(name: string, content: string, ttl?: number): DnsimpleRecord
  /** The next `count` requests answer 429. */
  rateLimit(count: number): void
  close(): Promise<void>
}

export async function startDnsimple(zone: string): Promise<FakeDnsimple> {
  let nextId = 1
  let limited = 0
  const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '2400', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }
  const syncDns = (): void => {
    fake.dns.clear()
    for (const r of fake.records.filter((x) => x.type === 'TXT')) {
      const name = r.name === '' ? zone : `${r.name}.${zone}`
      fake.dns.set(name, [...(fake.dns.get(name) ?? []), txtChunks(parseTxtContent(r.content)).map((c) => c.toString('utf8'))])
    }
  }
  const fake: FakeDnsimple = {
    url: '',
    account: 1010,
    tokens: new Map(),
    records: [],
    requests: [],
    dns: new Map(),
    addRecord(name, content, ttl = 3600) {
      const record: DnsimpleRecord = {
        ...{ id: nextId++, zone_id: zone, parent_id: null, name, content, ttl, priority: null, type: 'TXT' },
        ...{ regions: ['global'], system_record: false, created_at: now(), updated_at: now() },
      }
      fake.records.push(record)
      syncDns()
      return record
    },
    rateLimit(count) {
      limited = count
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
      const reset = String(Math.floor(Date.now() / 1000) + 3600)
      return send(res, 429, { message: 'quota exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })
    }
    const access = fake.tokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '')
    if (access === undefined) return send(res, 401, { message: 'Authentication failed' })
    const parts = url.pathname.replace(/^\/v2/, '').split('/').filter((p) => p !== '')
    if (parts.length === 1 && parts[0] === 'whoami') {
      const account = { id: fake.account, email: 'example-account@example.com', plan_identifier: 'dnsimple-teams', created_at: now(), updated_at: now() }
      return send(res, 200, { data: access === 'user' ? { user: { id: 1, email: 'user@example.com' }, account: null } : { user: null, account } })
    }
    if (parts[0] !== String(fake.account) || parts[1] !== 'zones' || parts[3] !== 'records') return send(res, 404, { message: 'Not Found' })
    if (parts[2] !== zone) return send(res, 404, { message: `Zone \`${parts[2]}\` not found` })
    const q = url.searchParams
    if (req.method === 'GET' && parts.length === 4) {
      const found = fake.records.filter((r) => (!q.has('name') || r.name === q.get('name')) && (!q.has('type') || r.type === q.get('type')))
      const perPage = Math.min(100, Number(q.get('per_page') ?? 30))
      const page = Number(q.get('page') ?? 1)
      const pagination = { current_page: page, per_page: perPage, total_entries: found.length, total_pages: Math.max(1, Math.ceil(found.length / perPage)) }
      return send(res, 200, { data: found.slice((page - 1) * perPage, page * perPage), pagination })
    }
    if (access !== 'write') return send(res, 403, { message: `Permission Denied. Required Scope: zones:${zone}:write` })
    const body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString()) as Partial<DnsimpleRecord>)
    if (req.method === 'POST' && parts.length === 4) {
      if (body.content === undefined || body.content === '') return send(res, 400, { message: 'Validation failed', errors: { content: ["can't be blank"] } })
      const record = fake.addRecord(body.name ?? '', body.content, body.ttl ?? 3600)
      return send(res, 201, { data: record })
    }
    const record = fake.records.find((r) => String(r.id) === parts[4])
    if (record === undefined) return send(res, 404, { message: `Record \`${parts[4]}\` not found` })
    if (req.method === 'PATCH') {
      Object.assign(record, { content: body.content ?? record.content, ttl: body.ttl ?? record.ttl, updated_at: now() })
      syncDns()
      return send(res, 200, { data: record })
    }
    if (req.method === 'DELETE') {
      fake.records = fake.records.filter((r) => r !== record)
      syncDns()
      return send(res, 204)
    }
    send(res, 405, { message: 'Method Not Allowed' })
  }

  const server = createServer((req, res) => void handle(req, res))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`
  return fake
}
