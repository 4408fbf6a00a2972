/**
 * One request of the Pinning Service API: routing, authentication, then the operation.
 * Every error is answered with the spec's `Failure` body and never with a stack trace;
 * a failure of the server itself is a 500 whose cause goes to the `pin-server:error` event.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PinServerProgressEvents } from '../../events.ts'
import type { Authenticator } from './auth.ts'
import { selectRecords } from './filter.ts'
import { ApiError, readJson, sendFailure, sendJson, shown } from './http.ts'
import { parsePinObject } from './pin-object.ts'
import { parsePinQuery } from './query.ts'
import type { PinRecord } from './records.ts'
import type { PinService } from './service.ts'
import { pinStatus } from './status.ts'

export interface RouteContext {
  service: PinService
  auth: Authenticator
  /** The node's addresses, each ending in `/p2p/<PeerID>`. */
  delegates: () => string[]
  maxBodyBytes: number
  /** Aborted when the server stops: requests still arriving get 503. */
  stopping: AbortSignal
  onProgress: ((event: PinServerProgressEvents) => void) | undefined
}

const COLLECTION = '/pins'
const ITEM = /^\/pins\/([^/]+)$/

function methodNotAllowed(method: string, allow: string): ApiError {
  return new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported here; use ${allow}`, { headers: { Allow: allow } })
}

async function authenticate(ctx: RouteContext, req: IncomingMessage): Promise<string> {
  if (req.headers.authorization === undefined) {
    throw new ApiError(401, 'UNAUTHORIZED', 'no access token: send the header Authorization: Bearer <token>', {
      headers: { 'WWW-Authenticate': 'Bearer realm="ipfs-publish pin-server"' },
    })
  }
  const account = await ctx.auth.account(req.headers)
  if (account === undefined) {
    throw new ApiError(401, 'UNAUTHORIZED', 'the access token is not valid for this server', {
      headers: { 'WWW-Authenticate': 'Bearer realm="ipfs-publish pin-server", error="invalid_token"' },
    })
  }
  return account
}

function status(ctx: RouteContext, record: PinRecord) {
  return pinStatus(record, ctx.delegates(), ctx.service.progress(record))
}

async function collection(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, url: URL, account: string): Promise<void> {
  if (req.method === 'GET') {
    const { count, results } = selectRecords(ctx.service.book.ofAccount(account), parsePinQuery(url.searchParams))
    return sendJson(res, 200, { count, results: results.map((record) => status(ctx, record)) })
  }
  if (req.method === 'POST') {
    const pin = parsePinObject(await readJson(req, ctx.maxBodyBytes))
    return sendJson(res, 202, pinStatus(await ctx.service.add(account, pin), ctx.delegates()))
  }
  throw methodNotAllowed(req.method ?? '', 'GET, POST')
}

async function item(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, requestid: string, account: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'DELETE') throw methodNotAllowed(req.method ?? '', 'GET, POST, DELETE')
  const record = ctx.service.book.get(requestid, account)
  if (record === undefined) throw new ApiError(404, 'NOT_FOUND', `no pin request ${shown(requestid)} for this access token`)
  if (req.method === 'GET') return sendJson(res, 200, status(ctx, record))
  if (req.method === 'POST') {
    const pin = parsePinObject(await readJson(req, ctx.maxBodyBytes))
    return sendJson(res, 202, pinStatus(await ctx.service.add(account, pin, record), ctx.delegates()))
  }
  await ctx.service.remove(record)
  res.writeHead(202, { 'Content-Length': '0', 'Cache-Control': 'no-store' })
  res.end()
}

async function route(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname
  if (path === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', 'GET, HEAD')
    return sendJson(res, 200, { status: 'ok' })
  }
  const match = ITEM.exec(path)
  if (path !== COLLECTION && match === null) throw new ApiError(404, 'NOT_FOUND', `no such endpoint ${shown(path)}; the API is under /pins`)
  const account = await authenticate(ctx, req)
  if (match === null) return collection(ctx, req, res, url, account)
  let requestid: string
  try {
    requestid = decodeURIComponent(match[1] ?? '')
  } catch {
    throw new ApiError(400, 'BAD_REQUEST', `requestid: ${shown(match[1] ?? '')} is not valid percent-encoding`)
  }
  return item(ctx, req, res, requestid, account)
}

export function createRequestHandler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      if (ctx.stopping.aborted) throw new ApiError(503, 'SERVICE_UNAVAILABLE', 'the pin server is stopping', { close: true })
      // Origin-form targets are paths: never let `//x/y` be read as a host.
      const target = req.url ?? '/'
      const url = new URL(target.startsWith('/') ? `http://pin-server.invalid${target}` : target)
      await route(ctx, req, res, url)
    } catch (err) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (err instanceof ApiError) {
        sendFailure(res, err)
        return
      }
      if (err instanceof TypeError && (err as { code?: string }).code === 'ERR_INVALID_URL') {
        sendFailure(res, new ApiError(400, 'BAD_REQUEST', 'malformed request URL'))
        return
      }
      ctx.onProgress?.({ type: 'pin-server:error', detail: { method: req.method ?? '', path: req.url?.split('?')[0] ?? '', message: (err as Error).message } })
      sendFailure(res, new ApiError(500, 'INTERNAL_SERVER_ERROR', 'the pin server failed while answering; its log says why'))
    }
  }
}
