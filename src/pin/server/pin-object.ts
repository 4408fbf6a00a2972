/**
 * The `Pin` object of `POST /pins` and `POST /pins/{requestid}`, checked field by field
 * against the spec's schema; each refusal names the field and the value.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { MultibaseDecoder } from 'multiformats/bases/interface'
import { bases } from 'multiformats/basics'
import { CID } from 'multiformats/cid'
import { PINNING_API_LIMITS } from '../../constants.ts'
import { badRequest, shown } from './http.ts'
import type { PinObject } from './records.ts'

/** CIDs in any multibase the multiformats package knows (base32 `bafy…`, base36 `k…`, ...), and CIDv0. */
const anyBase: MultibaseDecoder<string> = {
  decode(text) {
    const base = Object.values(bases).find((b) => text.startsWith(b.prefix))
    if (base === undefined) throw new Error('unknown multibase prefix')
    return base.decoder.decode(text)
  },
}

export function parseCid(text: string): CID | undefined {
  try {
    return CID.parse(text, text.startsWith('Q') ? undefined : anyBase)
  } catch {
    return undefined
  }
}

/** The form pins are matched by: CIDv0 and CIDv1 of the same DAG are the same content. */
export function cidKey(cid: CID): string {
  return cid.toV1().toString()
}

/** "a number", "an array", "null": for messages about a value of the wrong type. */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  return type === 'object' ? 'an object' : `a ${type}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A `meta` object (body or query): string values only, at most 1000 keys. */
export function checkMeta(value: unknown, field: string): Record<string, string> {
  if (!isPlainObject(value)) throw badRequest(`${field}: expected an object of string values, got ${describeType(value)}`)
  const entries = Object.entries(value)
  if (entries.length > PINNING_API_LIMITS.maxMetaKeys) {
    throw badRequest(`${field}: at most ${PINNING_API_LIMITS.maxMetaKeys} keys, got ${entries.length}`)
  }
  for (const [key, v] of entries) {
    if (typeof v !== 'string') throw badRequest(`${field}.${key}: expected a string, got ${describeType(v)}`)
  }
  return Object.fromEntries(entries) as Record<string, string>
}

export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string') throw badRequest(`${field}: expected a string, got ${describeType(value)}`)
  // JSON Schema's maxLength counts characters (code points), not UTF-16 units.
  const length = [...value].length
  if (length > PINNING_API_LIMITS.maxNameLength) {
    throw badRequest(`${field}: at most ${PINNING_API_LIMITS.maxNameLength} characters, got ${length}`)
  }
  return value
}

/** Origins must end in `/p2p/<PeerID>` (the spec's provider hints say MUST). */
function checkOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) throw badRequest(`origins: expected an array of multiaddrs, got ${describeType(value)}`)
  if (value.length > PINNING_API_LIMITS.maxAddresses) {
    throw badRequest(`origins: at most ${PINNING_API_LIMITS.maxAddresses} multiaddrs, got ${value.length}`)
  }
  const seen = new Set<string>()
  return value.map((item: unknown, i) => {
    const field = `origins[${i}]`
    if (typeof item !== 'string') throw badRequest(`${field}: expected a multiaddr string, got ${describeType(item)}`)
    let last: { name: string; value?: string } | undefined
    try {
      last = multiaddr(item).getComponents().at(-1)
    } catch {
      throw badRequest(`${field}: ${shown(item)} is not a multiaddr`)
    }
    if (last?.name !== 'p2p' || last.value === undefined) throw badRequest(`${field}: ${shown(item)} must end with /p2p/<PeerID>`)
    try {
      peerIdFromString(last.value)
    } catch {
      throw badRequest(`${field}: ${shown(item)} does not end with a valid PeerID`)
    }
    if (seen.has(item)) throw badRequest(`${field}: ${shown(item)} is listed twice`)
    seen.add(item)
    return item
  })
}

/**
 * Validates a request body as a `Pin` object. Unknown fields are ignored, as OpenAPI
 * allows; an optional field sent as `null` counts as absent (some generated clients do that).
 */
export function parsePinObject(body: unknown): PinObject {
  if (!isPlainObject(body)) throw badRequest(`the body must be a Pin object (a JSON object with a "cid"), got ${describeType(body)}`)
  if (body.cid === undefined) throw badRequest('cid: missing; a Pin object needs the CID of the DAG to pin')
  if (typeof body.cid !== 'string') throw badRequest(`cid: expected a CID string, got ${describeType(body.cid)}`)
  if (parseCid(body.cid) === undefined) throw badRequest(`cid: ${shown(body.cid)} is not a valid CID`)
  const pin: PinObject = { cid: body.cid, origins: body.origins == null ? [] : checkOrigins(body.origins) }
  if (body.name != null) pin.name = checkName(body.name, 'name')
  if (body.meta != null) pin.meta = checkMeta(body.meta, 'meta')
  return pin
}
