/**
 * HTTP plumbing for the Pinning Service API: the spec's `Failure` body for every error
 * (`{"error": {"reason": "...", "details": "..."}}`), JSON replies, and request bodies read
 * with a size limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The spec's reasons, plus custom 4XX/5XX ones (the spec allows any `reason` string). */
export type FailureReason =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'INSUFFICIENT_FUNDS'
  | 'INTERNAL_SERVER_ERROR'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'

/** A request the API answers with an error status and a `Failure` body. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly reason: FailureReason
  readonly headers: Record<string, string>
  /** The rest of the request was not read: the connection cannot carry another request. */
  readonly close: boolean

  constructor(status: number, reason: FailureReason, details: string, options: { headers?: Record<string, string>; close?: boolean } = {}) {
    super(details)
    this.status = status
    this.reason = reason
    this.close = options.close === true
    this.headers = { ...options.headers, ...(this.close ? { Connection: 'close' } : {}) }
  }
}

/** 400 `BAD_REQUEST`: `details` names the parameter or field and the value. */
export function badRequest(details: string): ApiError {
  return new ApiError(400, 'BAD_REQUEST', details)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendFailure(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, { error: { reason: error.reason, details: error.message } }, error.headers)
}

/** Quotes a value for `details`, cut short so a huge parameter does not come back whole. */
export function shown(value: string): string {
  const MAX = 100
  return JSON.stringify(value.length > MAX ? `${value.slice(0, MAX)}…` : value)
}

/**
 * Reads and parses a JSON body; one over `maxBytes` or text that is not JSON is refused.
 * `Content-Type` is not checked: `curl -d` sends JSON as a form, `fetch` with a string
 * body as text/plain, and the body says plainly enough whether it is JSON.
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  // The connection is closed after the answer: reading the rest only to discard it is what the limit avoids.
  const tooLarge = () => new ApiError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes; a Pin object is much smaller`, { close: true })
  if (Number(req.headers['content-length'] ?? Number.NaN) > maxBytes) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw tooLarge()
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') throw badRequest('the body is empty; send a Pin object such as {"cid": "bafy..."}')
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw badRequest(`the body is not valid JSON: ${(err as Error).message}`)
  }
}
