/** Writing responses on `node:http`: headers, whole bodies, streamed bodies, errors. */
import type { ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import { once } from 'node:events'
import { finished, pipeline } from 'node:stream/promises'

export type Headers = Record<string, string | number>

/** Headers every response carries: any origin may read the gateway, as public gateways allow. */
const BASE_HEADERS: Headers = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Range, User-Agent, X-Requested-With',
  'Access-Control-Expose-Headers':
    'Content-Length, Content-Range, Content-Type, ETag, X-Ipfs-Path, X-Ipfs-Roots, X-Content-Type-Options',
}

export function writeHead(res: ServerResponse, status: number, headers: Headers): void {
  res.writeHead(status, { ...BASE_HEADERS, ...headers })
}

export function sendBytes(res: ServerResponse, status: number, headers: Headers, body: Uint8Array, head: boolean): void {
  writeHead(res, status, { 'Content-Length': body.byteLength, ...headers })
  res.end(head ? undefined : body)
}

/** A short plain-text answer (errors, redirects, the landing page). */
export function sendText(res: ServerResponse, status: number, text: string, headers: Headers = {}, head = false): void {
  const body = Buffer.from(text.endsWith('\n') ? text : `${text}\n`)
  sendBytes(res, status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body, head)
}

/** The body of an error response: the status line, then what went wrong. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Headers = {}, head = false): void {
  sendText(res, status, `${status} ${STATUS_CODES[status] ?? 'Error'}: ${message}`, { ...headers, 'Cache-Control': 'no-store' }, head)
}

export function redirect(res: ServerResponse, status: number, location: string, headers: Headers = {}, head = false): void {
  sendText(res, status, `${STATUS_CODES[status] ?? 'Redirect'}: ${location}`, { Location: location, ...headers }, head)
}

/**
 * Streams a body. A failure after the headers went out cannot change the status any
 * more: the connection is cut, so the client sees an incomplete response, not a
 * complete wrong one. With `onWritten`, each chunk is handed back once the socket no
 * longer needs it, so its buffer can be reused.
 */
export async function sendStream(
  res: ServerResponse,
  status: number,
  headers: Headers,
  body: AsyncIterable<Uint8Array>,
  options: { head: boolean; signal: AbortSignal; onChunk?: () => void; onWritten?: (chunk: Uint8Array) => void },
): Promise<void> {
  writeHead(res, status, headers)
  if (options.head) {
    res.end()
    return
  }
  const { onWritten } = options
  if (onWritten !== undefined) return writeChunks(res, body, { signal: options.signal, onChunk: options.onChunk, onWritten })
  const counted = async function* () {
    for await (const chunk of body) {
      options.onChunk?.()
      yield chunk
    }
  }
  await pipeline(counted(), res, { signal: options.signal })
}

/** `pipeline`'s job, with a callback per chunk written (pipeline writes without one). */
async function writeChunks(
  res: ServerResponse,
  body: AsyncIterable<Uint8Array>,
  options: { signal: AbortSignal; onChunk: (() => void) | undefined; onWritten: (chunk: Uint8Array) => void },
): Promise<void> {
  const { signal, onWritten } = options
  for await (const chunk of body) {
    signal.throwIfAborted()
    options.onChunk?.()
    // Called without an error only once the data has left for the socket.
    const more = res.write(chunk, (err) => {
      if (err == null) onWritten(chunk)
    })
    if (!more) await once(res, 'drain', { signal })
  }
  res.end()
  await finished(res, { signal })
}
