/**
 * The query of `GET /pins`: `cid`, `name` + `match`, `status`, `before`, `after`, `limit`
 * and `meta`, parsed and checked against the spec. Lists are comma-separated (OpenAPI
 * `style: form, explode: false`); a list parameter repeated is read as one longer list.
 */
import { PINNING_API_LIMITS } from '../../constants.ts'
import { badRequest, shown } from './http.ts'
import { checkMeta, checkName, cidKey, parseCid } from './pin-object.ts'
import type { PinServerStatus } from './records.ts'
import { parseRfc3339 } from './time.ts'

export const MATCH_MODES = ['exact', 'iexact', 'partial', 'ipartial'] as const
export type MatchMode = (typeof MATCH_MODES)[number]

export const STATUSES: readonly PinServerStatus[] = ['queued', 'pinning', 'pinned', 'failed']

export interface PinQuery {
  /** `cidKey`s of the CIDs asked for. */
  cids: Set<string> | undefined
  name: string | undefined
  match: MatchMode
  /** Without a `status` parameter, only `pinned` (the spec's default). */
  statuses: Set<PinServerStatus>
  /** Milliseconds, possibly fractional: results are created strictly before / after. */
  before: number | undefined
  after: number | undefined
  limit: number
  meta: Record<string, string> | undefined
}

const RFC3339_EXAMPLE = '2020-07-27T17:32:28.276Z'

/** The one value of a parameter that must not repeat. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name)
  if (values.length > 1) throw badRequest(`${name}: given ${values.length} times; give it once`)
  return values[0]
}

/** The items of a comma-separated list parameter, refusing empty items and repeats (`uniqueItems`). */
function list(params: URLSearchParams, name: string): string[] | undefined {
  const values = params.getAll(name)
  if (values.length === 0) return undefined
  const items = values.join(',').split(',')
  const empty = items.findIndex((item) => item.trim() === '')
  if (empty !== -1) throw badRequest(`${name}: expected a comma-separated list with no empty items, got ${shown(values.join(','))}`)
  const seen = new Set<string>()
  for (const item of items) {
    if (seen.has(item)) throw badRequest(`${name}: ${shown(item)} is listed twice`)
    seen.add(item)
  }
  return items
}

function parseCids(params: URLSearchParams): Set<string> | undefined {
  const items = list(params, 'cid')
  if (items === undefined) return undefined
  if (items.length > PINNING_API_LIMITS.maxCidFilter) {
    throw badRequest(`cid: at most ${PINNING_API_LIMITS.maxCidFilter} CIDs, got ${items.length}`)
  }
  return new Set(
    items.map((item) => {
      const cid = parseCid(item)
      if (cid === undefined) throw badRequest(`cid: ${shown(item)} is not a valid CID`)
      return cidKey(cid)
    }),
  )
}

function parseStatuses(params: URLSearchParams): Set<PinServerStatus> {
  const items = list(params, 'status')
  if (items === undefined) return new Set(['pinned'])
  for (const item of items) {
    if (!STATUSES.includes(item as PinServerStatus)) throw badRequest(`status: ${shown(item)} is not one of ${STATUSES.join(', ')}`)
  }
  return new Set(items as PinServerStatus[])
}

function parseTime(params: URLSearchParams, name: 'before' | 'after'): number | undefined {
  const text = single(params, name)
  if (text === undefined) return undefined
  const ms = parseRfc3339(text)
  if (ms === undefined) throw badRequest(`${name}: expected an RFC 3339 date-time such as ${RFC3339_EXAMPLE}, got ${shown(text)}`)
  return ms
}

function parseLimit(params: URLSearchParams): number {
  const text = single(params, 'limit')
  if (text === undefined) return PINNING_API_LIMITS.defaultLimit
  const limit = Number(text)
  if (!/^\d+$/.test(text) || limit < 1 || limit > PINNING_API_LIMITS.maxLimit) {
    throw badRequest(`limit: expected an integer from 1 to ${PINNING_API_LIMITS.maxLimit}, got ${shown(text)}`)
  }
  return limit
}

function parseMetaFilter(params: URLSearchParams): Record<string, string> | undefined {
  const text = single(params, 'meta')
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest(`meta: expected a JSON object of string values such as {"app_id":"99986338"}, got ${shown(text)}`)
  }
  return checkMeta(value, 'meta')
}

function parseMatch(params: URLSearchParams): MatchMode {
  const text = single(params, 'match')
  if (text === undefined) return 'exact'
  if (!MATCH_MODES.includes(text as MatchMode)) throw badRequest(`match: expected one of ${MATCH_MODES.join(', ')}, got ${shown(text)}`)
  return text as MatchMode
}

export function parsePinQuery(params: URLSearchParams): PinQuery {
  const name = single(params, 'name')
  return {
    cids: parseCids(params),
    name: name === undefined ? undefined : checkName(name, 'name'),
    match: parseMatch(params),
    statuses: parseStatuses(params),
    before: parseTime(params, 'before'),
    after: parseTime(params, 'after'),
    limit: parseLimit(params),
    meta: parseMetaFilter(params),
  }
}
