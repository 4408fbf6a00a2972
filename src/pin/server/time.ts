/**
 * Timestamps. `created` must be unique across the server: the spec pages through results
 * with `before=<created of the oldest item>`, so two pins created in the same millisecond
 * would make one of them unreachable.
 */

/** RFC 3339 section 5.6 `date-time`: the only timestamp form `before` and `after` accept. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/

/**
 * Milliseconds since the epoch, keeping digits below the millisecond as a fraction (so
 * `before=…28.2765Z` does not take in a pin created at `…28.276Z`); undefined when the
 * text is not an RFC 3339 date-time or names a day or time that does not exist.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text)
  if (match === null) return undefined
  const [, date, time, fraction = '', zone = 'Z'] = match
  const base = Date.parse(`${date}T${time}${zone.toUpperCase()}`)
  if (Number.isNaN(base)) return undefined
  // Date.parse rolls 2023-02-30 over to March 2; a real date must read back the same.
  const offsetMs = zone.toUpperCase() === 'Z' ? 0 : offsetOf(zone)
  if (new Date(base + offsetMs).toISOString().slice(0, 19) !== `${date}T${time}`) return undefined
  return base + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000)
}

function offsetOf(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1
  const [hours = 0, minutes = 0] = zone.slice(1).split(':').map(Number)
  return sign * (hours * 60 + minutes) * 60_000
}

/** Hands out strictly increasing millisecond timestamps from a clock that may repeat itself. */
export class UniqueClock {
  private readonly now: () => Date
  private last = Number.NEGATIVE_INFINITY

  constructor(now: () => Date) {
    this.now = now
  }

  /** Never hand out a time at or before one already used (loaded records, after a restart). */
  observe(ms: number): void {
    if (ms > this.last) this.last = ms
  }

  next(): Date {
    const ms = Math.max(this.now().getTime(), this.last + 1)
    this.last = ms
    return new Date(ms)
  }
}
