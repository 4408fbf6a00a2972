/**
 * One request's life: method check, an abort signal that fires when the client leaves,
 * the gateway stops or nothing progresses for `timeoutMs`, and errors turned into
 * statuses with a plain-text reason (never a stack trace).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { GATEWAY_RETRY_AFTER_SECONDS } from '../constants.ts'
import type { GatewayProgressEvents } from '../events.ts'
import { blockReader } from './blocks.ts'
import type { GatewayContext, RequestContext } from './context.ts'
import { HttpError, MissingBlockError, MissingRecordError } from './http-error.ts'
import { sendError, writeHead } from './reply.ts'
import { PathNotFoundError } from './resolve.ts'
import { route } from './router.ts'

export interface HandlerInit {
  timeoutMs: number
  /** Aborted when the gateway stops: requests in flight end. */
  stopping: AbortSignal
  onProgress: ((event: GatewayProgressEvents) => void) | undefined
}

/** Exporter errors that mean the request asked for something this data cannot give. */
const CLIENT_DATA_ERRORS = new Set(['NoResolverError', 'NotUnixFSError', 'BadPathError', 'InvalidParametersError'])

/** Aborts with a `TimeoutError` after `ms` without a call to `touch()`. */
class IdleTimeout {
  readonly signal: AbortSignal
  private readonly timer: NodeJS.Timeout

  constructor(ms: number) {
    const controller = new AbortController()
    this.signal = controller.signal
    const reason = new DOMException(`no progress for ${ms / 1000} s`, 'TimeoutError')
    this.timer = setTimeout(() => controller.abort(reason), ms).unref()
  }

  touch(): void {
    this.timer.refresh()
  }

  clear(): void {
    clearTimeout(this.timer)
  }
}

export function createRequestHandler(gateway: GatewayContext, init: HandlerInit): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = performance.now()
    const left = new AbortController()
    const onClose = () => {
      if (!res.writableFinished) left.abort(new DOMException('the client closed the connection', 'AbortError'))
    }
    res.on('close', onClose)
    const idle = new IdleTimeout(init.timeoutMs)
    const signal = AbortSignal.any([left.signal, idle.signal, init.stopping])
    const progress = () => idle.touch()
    const url = requestUrl(req.url)
    const head = req.method === 'HEAD'
    try {
      if (req.method === 'OPTIONS') {
        writeHead(res, 204, { Allow: 'GET, HEAD, OPTIONS' })
        res.end()
      } else if (req.method !== 'GET' && !head) {
        sendError(res, 405, `${req.method} is not supported; this gateway is read-only`, { Allow: 'GET, HEAD, OPTIONS' })
      } else if (url === undefined) {
        sendError(res, 400, 'malformed request URL', {}, head)
      } else {
        const reader = blockReader(gateway.helia.blockstore, { offline: gateway.offline, onBlock: progress })
        const rc: RequestContext = { gateway, req, res, url, head, signal, reader, progress }
        await route(rc)
      }
    } catch (err) {
      fail(res, err, { signal, stopping: init.stopping, head, offline: gateway.offline }, (message) =>
        init.onProgress?.({ type: 'gateway:error', detail: { method: req.method ?? '', host: req.headers.host ?? '', url: req.url ?? '', message } }),
      )
    } finally {
      idle.clear()
      res.off('close', onClose)
    }
    const detail = { method: req.method ?? '', host: req.headers.host ?? '', url: req.url ?? '', status: res.statusCode, timeMs: Math.round(performance.now() - started) }
    init.onProgress?.({ type: 'gateway:request', detail })
  }
}

function requestUrl(target: string | undefined): URL | undefined {
  try {
    // Origin-form targets are paths: never let `//x/y` be read as a host.
    return target?.startsWith('/') ? new URL(`http://gateway.invalid${target}`) : new URL(target ?? '/')
  } catch {
    return undefined
  }
}

interface FailContext {
  signal: AbortSignal
  stopping: AbortSignal
  head: boolean
  offline: boolean
}

function fail(res: ServerResponse, err: unknown, ctx: FailContext, internal: (message: string) => void): void {
  if (res.headersSent || res.destroyed) {
    // The status is gone: cut the response so the client cannot take it for complete.
    res.destroy()
    return
  }
  const { head } = ctx
  const retry = { 'Retry-After': String(GATEWAY_RETRY_AFTER_SECONDS) }
  const reason = ctx.signal.aborted ? (ctx.signal.reason as Error | undefined) : undefined
  if (reason?.name === 'TimeoutError') {
    sendError(res, 504, `gave up: ${reason.message} while resolving or reading the content`, retry, head)
  } else if (ctx.stopping.aborted) {
    sendError(res, 503, 'the gateway is stopping', retry, head)
  } else if (reason !== undefined) {
    // The client left: nobody reads an answer.
    res.destroy()
  } else if (err instanceof HttpError) {
    sendError(res, err.status, err.message, err.headers, head)
  } else if (err instanceof MissingBlockError) {
    const where = ctx.offline ? 'this gateway serves only what the local node stores' : 'no provider could supply it'
    // Offline, asking again cannot help until someone adds the content: no Retry-After, so
    // a client that honours it (verify does) fails at once instead of waiting.
    sendError(res, 502, `${err.message}; ${where}`, ctx.offline ? {} : retry, head)
  } else if (err instanceof MissingRecordError) {
    sendError(res, 502, err.message, ctx.offline ? {} : retry, head)
  } else if (err instanceof PathNotFoundError) {
    sendError(res, 404, err.message, {}, head)
  } else if (err instanceof Error && CLIENT_DATA_ERRORS.has(err.name)) {
    sendError(res, 400, `cannot serve this content: ${err.message}`, {}, head)
  } else {
    const message = err instanceof Error ? err.message : String(err)
    internal(message)
    sendError(res, 500, 'the gateway failed while answering; see its log', {}, head)
  }
}
