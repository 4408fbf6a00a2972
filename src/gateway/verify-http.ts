/**
 * The HTTP side of a gateway check: trustless gateway request URLs, and response bodies
 * read under an idle timeout, so a gateway that stops sending mid-stream is caught as
 * surely as one that never answers.
 */
import type { CID } from 'multiformats/cid'
import { AbortError } from '../errors.ts'
import { type FetchWithRetryOptions, fetchWithRetry, RequestTimeoutError } from '../net/retry.ts'

export const CAR_MEDIA_TYPE = 'application/vnd.ipld.car'
export const RAW_MEDIA_TYPE = 'application/vnd.ipld.raw'

/** The whole DAG, depth-first, each block once: the order lets a gateway stream with little memory. */
const CAR_ACCEPT = `${CAR_MEDIA_TYPE}; version=1; order=dfs; dups=n`

/**
 * The spec asks clients to send both `format` and `Accept`: `format` keeps HTTP caches
 * consistent, `Accept` is what strict trustless gateways insist on.
 */
export function carRequest(gateway: string, cid: CID): { url: string; init: RequestInit } {
  return {
    url: `${gateway}/ipfs/${cid.toString()}?format=car&dag-scope=all`,
    init: { headers: { accept: CAR_ACCEPT } },
  }
}

export function rawRequest(gateway: string, cid: CID): { url: string; init: RequestInit } {
  return {
    url: `${gateway}/ipfs/${cid.toString()}?format=raw`,
    init: { headers: { accept: RAW_MEDIA_TYPE } },
  }
}

export interface Fetcher {
  /** Base URL of the gateway, without a trailing slash. */
  gateway: string
  timeoutMs: number
  signal: AbortSignal | undefined
  retry: FetchWithRetryOptions
}

export function request(fetcher: Fetcher, req: { url: string; init: RequestInit }): Promise<Response> {
  return fetchWithRetry(req.url, req.init, { ...fetcher.retry, timeoutMs: fetcher.timeoutMs, signal: fetcher.signal })
}

/** Counts what went through it, so a broken stream can say how far it got. */
export interface ByteCounter {
  bytes: number
}

/** Rejects if no chunk arrives within `ms`, or the signal fires, cancelling the body so the socket is freed. */
function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = (): void => {
      done()
      reject(new AbortError('the request was cancelled', { cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      done()
      reject(new RequestTimeoutError(`no data for ${ms} ms`))
    }, ms)
    if (signal?.aborted === true) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    reader.read().then(
      (result) => {
        done()
        resolve(result)
      },
      (err: unknown) => {
        done()
        reject(err)
      },
    )
  })
}

/** The body as chunks, never more than one held here; cancelled on any early exit. */
export async function* chunks(body: ReadableStream<Uint8Array>, fetcher: Fetcher, counter: ByteCounter): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    while (true) {
      const { done, value } = await readWithin(reader, fetcher.timeoutMs, fetcher.signal)
      if (done) return
      counter.bytes += value.length
      yield value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/** A whole raw block, refused past `limit` bytes: a block is small, a body that is not is no block. */
export async function readBlock(body: ReadableStream<Uint8Array>, fetcher: Fetcher, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  const counter = { bytes: 0 }
  for await (const chunk of chunks(body, fetcher, counter)) {
    if (counter.bytes > limit) throw new Error(`the body is over ${limit} bytes, larger than any block`)
    parts.push(chunk)
  }
  const bytes = new Uint8Array(counter.bytes)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return bytes
}
