/** Applies a `GET /pins` query to an account's records: newest first, `count` before `limit`. */
import { cidKey, parseCid } from './pin-object.ts'
import type { MatchMode, PinQuery } from './query.ts'
import type { PinRecord } from './records.ts'

function nameMatches(name: string, wanted: string, match: MatchMode): boolean {
  switch (match) {
    case 'exact':
      return name === wanted
    case 'iexact':
      return name.toLowerCase() === wanted.toLowerCase()
    case 'partial':
      return name.includes(wanted)
    case 'ipartial':
      return name.toLowerCase().includes(wanted.toLowerCase())
  }
}

export function recordMatches(record: PinRecord, query: PinQuery): boolean {
  if (!query.statuses.has(record.status)) return false
  const created = Date.parse(record.created)
  if (query.before !== undefined && !(created < query.before)) return false
  if (query.after !== undefined && !(created > query.after)) return false
  if (query.cids !== undefined) {
    const cid = parseCid(record.pin.cid)
    if (cid === undefined || !query.cids.has(cidKey(cid))) return false
  }
  // A pin created without a name has none to match, not an empty one.
  if (query.name !== undefined && (record.pin.name === undefined || !nameMatches(record.pin.name, query.name, query.match))) return false
  if (query.meta !== undefined) {
    const meta = record.pin.meta ?? {}
    for (const [key, value] of Object.entries(query.meta)) {
      if (!Object.hasOwn(meta, key) || meta[key] !== value) return false
    }
  }
  return true
}

/** `count` is every match (the spec: "the total number of pin objects that exist for passed query filters"). */
export function selectRecords(records: Iterable<PinRecord>, query: PinQuery): { count: number; results: PinRecord[] } {
  const matching = [...records].filter((record) => recordMatches(record, query))
  matching.sort((a, b) => Date.parse(b.created) - Date.parse(a.created))
  return { count: matching.length, results: matching.slice(0, query.limit) }
}
