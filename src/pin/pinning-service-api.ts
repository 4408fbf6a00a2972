/**
 * The IPFS Pinning Service API v1.0.0 on the wire (ipfs/pinning-services-api-spec,
 * `ipfs-pinning-service.yaml`): the JSON shapes, read defensively since a service's
 * answer is input we do not control, and their mapping to our `RemotePin`.
 */
import { CID } from 'multiformats/cid'
import type { PinMeta, PinStatus, RemotePin } from './types.ts'

export const PIN_STATUSES: readonly PinStatus[] = ['queued', 'pinning', 'pinned', 'failed']

/** The spec's `Pin` object. */
export interface PinJson {
  cid: string
  name?: string
  origins?: string[]
  meta?: Record<string, string>
}

/** The spec's `PinStatus` object. */
export interface PinStatusJson {
  requestid: string
  status: PinStatus
  created: string
  pin: PinJson
  delegates: string[]
  info?: Record<string, string>
}

/** `GET /pins` filters. Arrays are sent comma-separated (`style: form, explode: false`). */
export interface ListQuery {
  cid?: string[]
  name?: string
  match?: 'exact' | 'iexact' | 'partial' | 'ipartial'
  status?: readonly PinStatus[]
  before?: string
  after?: string
  limit?: number
  meta?: Record<string, string>
}

export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError'
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/** Checks the fields we rely on; throws `MalformedResponseError` naming the first one that is wrong. */
export function parsePinStatus(value: unknown): PinStatusJson {
  if (typeof value !== 'object' || value === null) throw new MalformedResponseError('a PinStatus must be a JSON object')
  const v = value as Record<string, unknown>
  if (typeof v.requestid !== 'string' || v.requestid === '') throw new MalformedResponseError('PinStatus.requestid is missing')
  if (typeof v.status !== 'string' || !PIN_STATUSES.includes(v.status as PinStatus)) {
    throw new MalformedResponseError(`PinStatus.status must be one of ${PIN_STATUSES.join(', ')}, got ${JSON.stringify(v.status)}`)
  }
  if (typeof v.created !== 'string' || Number.isNaN(Date.parse(v.created))) throw new MalformedResponseError('PinStatus.created is not a date')
  const pin = v.pin as Record<string, unknown> | undefined
  if (typeof pin !== 'object' || pin === null || typeof pin.cid !== 'string') throw new MalformedResponseError('PinStatus.pin.cid is missing')
  return {
    requestid: v.requestid,
    status: v.status as PinStatus,
    created: v.created,
    pin: {
      cid: pin.cid,
      ...(typeof pin.name === 'string' ? { name: pin.name } : {}),
      ...(isStringArray(pin.origins) ? { origins: pin.origins } : {}),
      ...(isStringRecord(pin.meta) ? { meta: pin.meta } : {}),
    },
    // Required by the spec, but a missing list only means there is nobody to dial.
    delegates: isStringArray(v.delegates) ? v.delegates : [],
    ...(isStringRecord(v.info) ? { info: v.info } : {}),
  }
}

export function parsePinResults(value: unknown): { count: number; results: PinStatusJson[] } {
  if (typeof value !== 'object' || value === null) throw new MalformedResponseError('PinResults must be a JSON object')
  const v = value as Record<string, unknown>
  if (!Array.isArray(v.results)) throw new MalformedResponseError('PinResults.results is not a list')
  const results = v.results.map(parsePinStatus)
  return { count: typeof v.count === 'number' ? v.count : results.length, results }
}

/** `?cid=a,b&status=queued,pinning&meta={"site":"blog"}`. */
export function queryString(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.cid !== undefined) params.set('cid', query.cid.join(','))
  if (query.name !== undefined) params.set('name', query.name)
  if (query.match !== undefined) params.set('match', query.match)
  if (query.status !== undefined) params.set('status', query.status.join(','))
  if (query.before !== undefined) params.set('before', query.before)
  if (query.after !== undefined) params.set('after', query.after)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.meta !== undefined) params.set('meta', JSON.stringify(query.meta))
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

/** Our metadata as the spec's string map. */
export function metaJson(meta: PinMeta): Record<string, string> {
  const out: Record<string, string> = { site: meta.site, kind: meta.kind }
  if (meta.branch !== undefined) out.branch = meta.branch
  if (meta.commit !== undefined) out.commit = meta.commit
  if (meta.preview !== undefined) out.preview = meta.preview
  return out
}

export function toRemotePin(status: PinStatusJson): RemotePin {
  return {
    requestid: status.requestid,
    cid: status.pin.cid,
    name: status.pin.name,
    status: status.status,
    meta: (status.pin.meta ?? {}) as RemotePin['meta'],
    created: new Date(status.created),
  }
}

/** CIDv0 and CIDv1 of one DAG compare equal; text that is no CID compares as itself. */
export function sameCid(a: string, b: string): boolean {
  return normalizeCid(a) === normalizeCid(b)
}

export function normalizeCid(text: string): string {
  try {
    return CID.parse(text).toV1().toString()
  } catch {
    return text
  }
}
