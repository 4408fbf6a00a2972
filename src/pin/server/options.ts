/** The pin server's options, their defaults and their validation. */
import {
  DEFAULT_PIN_SERVER_HOST,
  DEFAULT_PIN_SERVER_PORT,
  PIN_SERVER_FETCH_TIMEOUT_MS,
  PIN_SERVER_MAX_BODY_BYTES,
  PIN_SERVER_MAX_CONCURRENT_FETCHES,
  PIN_SERVER_REQUEST_TIMEOUT_MS,
} from '../../constants.ts'
import { PinServerError } from '../../errors.ts'
import type { PinServerProgressEvents, ProgressOptions } from '../../events.ts'
import type { TokenCheck } from './auth.ts'

export interface PinServerInit extends ProgressOptions<PinServerProgressEvents> {
  /** The access tokens, each an account of its own; or a function that says whether a token is valid. */
  tokens: TokenCheck
  /** The folder of the server's pin records, normally `<store>/pin-server`. */
  dir: string
  /**
   * The address to listen on. Anything but loopback sends tokens over the network in
   * clear: put a TLS reverse proxy in front.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * The port to listen on; 0 picks a free one.
   * @default 5050
   */
  port?: number
  /**
   * A pin whose whole DAG has not arrived from its origins after this long fails.
   * @default 600000 (10 minutes)
   */
  fetchTimeoutMs?: number
  /**
   * How many pins are fetched at once; the others wait `queued`.
   * @default 4
   */
  maxConcurrentFetches?: number
  /**
   * Request bodies larger than this are refused with 413.
   * @default 262144
   */
  maxBodyBytes?: number
  /**
   * A request that has not fully arrived after this long is cut.
   * @default 30000
   */
  requestTimeoutMs?: number
}

export interface NormalizedPinServerInit {
  tokens: TokenCheck
  dir: string
  host: string
  port: number
  fetchTimeoutMs: number
  maxConcurrentFetches: number
  maxBodyBytes: number
  requestTimeoutMs: number
  onProgress: ((event: PinServerProgressEvents) => void) | undefined
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new PinServerError(`pin server: \`${option}\` must be a positive integer, got ${value}`)
  return value
}

export function normalizePinServerInit(init: PinServerInit): NormalizedPinServerInit {
  const port = init.port ?? DEFAULT_PIN_SERVER_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PinServerError(`pin server: \`port\` must be an integer from 0 to 65535, got ${port}`)
  if (Array.isArray(init.tokens)) {
    if (init.tokens.length === 0) throw new PinServerError('pin server: `tokens` is empty: without a token nobody could use the server')
    const bad = init.tokens.findIndex((t) => !/^[\x21-\x7e]+$/.test(t))
    if (bad !== -1) throw new PinServerError(`pin server: token ${bad + 1} is empty or has spaces or non-ASCII characters, which an Authorization header cannot carry`)
  }
  return {
    tokens: init.tokens,
    dir: init.dir,
    host: init.host ?? DEFAULT_PIN_SERVER_HOST,
    port,
    fetchTimeoutMs: positiveInteger(init.fetchTimeoutMs ?? PIN_SERVER_FETCH_TIMEOUT_MS, 'fetchTimeoutMs'),
    maxConcurrentFetches: positiveInteger(init.maxConcurrentFetches ?? PIN_SERVER_MAX_CONCURRENT_FETCHES, 'maxConcurrentFetches'),
    maxBodyBytes: positiveInteger(init.maxBodyBytes ?? PIN_SERVER_MAX_BODY_BYTES, 'maxBodyBytes'),
    requestTimeoutMs: positiveInteger(init.requestTimeoutMs ?? PIN_SERVER_REQUEST_TIMEOUT_MS, 'requestTimeoutMs'),
    onProgress: init.onProgress,
  }
}
