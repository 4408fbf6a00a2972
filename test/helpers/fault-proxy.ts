/**
 * A fault-injecting HTTP proxy for tests: node:http on a free loopback port in front of a
 * real service. Rules pick requests by method and path and break them in one of the ways
 * networks and services do; every request that reaches the backend is recorded, so a test
 * can prove a POST was never sent twice.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type FaultAction =
  /** Close the connection without an answer, before (`forward: false`) or after the backend handled it. */
  | { kind: 'drop'; forward: boolean }
  /** Hold the backend's answer this long before sending it. */
  | { kind: 'delay'; ms: number }
  /** Answer with this status (and a spec `Failure` body) instead of, or after forwarding to, the backend. */
  | { kind: 'status'; status: number; forward: boolean; retryAfter?: string; reason?: string }
  /** Forward, then send the headers and half the body, then close the connection. */
  | { kind: 'cut' }

export interface FaultRule {
  method?: string
  /** Matched against the path with its query. */
  path?: RegExp
  action: FaultAction
  /** How many matching requests it breaks. @default Infinity */
  times?: number
}

export interface ProxiedRequest {
  method: string
  path: string
}

export interface FaultProxy {
  url: string
  /** Requests the proxy forwarded to the backend, in order. */
  readonly backend: ProxiedRequest[]
  /** Every request the proxy received. */
  readonly received: ProxiedRequest[]
  inject(rule: FaultRule): void
  clear(): void
  close(): Promise<void>
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startFaultProxy(backendUrl: string): Promise<FaultProxy> {
  const backendBase = new URL(backendUrl)
  const rules: Array<FaultRule & { left: number }> = []
  const backend: ProxiedRequest[] = []
  const received: ProxiedRequest[] = []

  const forward = async (req: IncomingMessage, body: Buffer): Promise<Answer> => {
    backend.push({ method: req.method ?? 'GET', path: req.url ?? '/' })
    const headers = { ...req.headers, host: backendBase.host }
    const upstream = httpRequest({ host: backendBase.hostname, port: backendBase.port, method: req.method, path: req.url, headers })
    upstream.end(body)
    const [response] = (await once(upstream, 'response')) as [IncomingMessage]
    return { status: response.statusCode ?? 502, headers: response.headers, body: await readBody(response) }
  }

  const send = (res: ServerResponse, answer: Answer): void => {
    const headers: Answer['headers'] = { ...answer.headers, 'content-length': String(answer.body.length), connection: 'close' }
    delete headers['transfer-encoding']
    res.writeHead(answer.status, headers)
    res.end(answer.body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    received.push({ method, path })
    const rule = rules.find((r) => r.left > 0 && (r.method === undefined || r.method === method) && (r.path === undefined || r.path.test(path)))
    if (rule === undefined) return send(res, await forward(req, body))
    rule.left--
    const { action } = rule
    switch (action.kind) {
      case 'drop':
        if (action.forward) await forward(req, body)
        req.socket.destroy()
        return
      case 'delay': {
        const answer = await forward(req, body)
        await new Promise((resolve) => setTimeout(resolve, action.ms))
        if (!res.destroyed) send(res, answer)
        return
      }
      case 'status': {
        if (action.forward) await forward(req, body)
        const failure = { error: { reason: action.reason ?? 'INJECTED_FAULT', details: `status ${action.status} from the fault proxy` } }
        const headers = { 'content-type': 'application/json', ...(action.retryAfter === undefined ? {} : { 'retry-after': action.retryAfter }) }
        return send(res, { status: action.status, headers, body: Buffer.from(JSON.stringify(failure)) })
      }
      case 'cut': {
        const answer = await forward(req, body)
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) })
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)))
        // Let the half body leave before the connection goes.
        setTimeout(() => req.socket.destroy(), 20)
        return
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${backendBase.pathname === '/' ? '' : backendBase.pathname}`,
    backend,
    received,
    inject: (rule) => rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      rules.length = 0
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
