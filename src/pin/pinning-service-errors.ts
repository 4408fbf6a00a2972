/**
 * A Pinning Service API error answer in words that say what to fix, and the scrubbing
 * that keeps the access token out of every message, whatever a service echoes back.
 */
import { STATUS_CODES } from 'node:http'
import { PIN_ERROR_DETAILS_MAX_CHARS } from '../constants.ts'
import { PinError, PinInsufficientFundsError, PinServiceUnavailableError, PinUnauthorizedError } from '../errors.ts'

export interface ErrorContext {
  target: string
  endpoint: string
  tokenEnv: string
  token: string
  /** What we asked, e.g. `POST /pins`. */
  request: string
}

/** Replaces every occurrence of the token (and of its Bearer header) with `***`. */
export function redact(text: string, token: string): string {
  if (token === '') return text
  return text.split(token).join('***')
}

/** `reason: details` from the spec's `Failure` body, first line only and cut short; undefined if the body is no Failure. */
export function failureReason(body: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const error = (parsed as { error?: { reason?: unknown; details?: unknown } } | null)?.error
  if (typeof error?.reason !== 'string') return undefined
  const details = typeof error.details === 'string' ? (error.details.split('\n')[0] ?? '').trim() : ''
  const text = details === '' || details === error.reason ? error.reason : `${error.reason}: ${details}`
  return text.length > PIN_ERROR_DETAILS_MAX_CHARS ? `${text.slice(0, PIN_ERROR_DETAILS_MAX_CHARS - 3)}...` : text
}

/** The error for a final non-2xx answer (retryable ones only reach here once the retries are spent). */
export function responseError(status: number, statusText: string, body: string, ctx: ErrorContext): PinError {
  const reason = failureReason(body)
  const said = reason === undefined ? '' : ` (${reason})`
  const phrase = statusText === '' ? (STATUS_CODES[status] ?? '') : statusText
  const http = `HTTP ${status}${phrase === '' ? '' : ` ${phrase}`}`
  let error: PinError
  if (status === 401 || status === 403) {
    error = new PinUnauthorizedError(ctx.target, `the token in $${ctx.tokenEnv} was refused by ${ctx.endpoint}${said}: check it, or create a new one`)
  } else if (status === 409) {
    error = new PinInsufficientFundsError(ctx.target, `the account at ${ctx.endpoint} has insufficient funds or reached a limit${said}: check its plan`)
  } else if (status === 400) {
    error = new PinError(ctx.target, `${ctx.endpoint} refused ${ctx.request} as invalid: ${reason ?? http}`)
  } else if (status === 404) {
    error = new PinError(ctx.target, `${ctx.endpoint} has no ${ctx.request} (${http}${said}): check the endpoint, which is the URL before /pins`)
  } else if (status === 408 || status === 429 || status >= 500) {
    error = new PinServiceUnavailableError(ctx.target, `${ctx.endpoint} kept failing ${ctx.request} (${http}${said}) after retries: try again later`)
  } else {
    error = new PinError(ctx.target, `${ctx.endpoint} refused ${ctx.request} (${http}${said})`)
  }
  return scrubbed(error, ctx.token)
}

/** The same error with the token removed from its message (a service may quote the header back). */
export function scrubbed<E extends Error>(error: E, token: string): E {
  const clean = redact(error.message, token)
  if (clean !== error.message) error.message = clean
  return error
}
