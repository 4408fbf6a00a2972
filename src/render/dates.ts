/**
 * Post dates as bloggers write them: `2023-03-29`, unpadded `2023-3-29`, ISO timestamps with
 * or without a zone (`2019-06-05T11:42:00+02:00`, `2016-10-11 12:00:00 +0000`), or a `Date`
 * when a YAML loader made one.
 */

export interface PostDate {
  /** The instant, for ordering; a date without a time is midnight UTC. */
  time: number
  /** The calendar day as written, `YYYY-MM-DD`: what readers see, independent of time zones. */
  day: string
  /** For `<time datetime>`, feeds and the sitemap: the day, or the full timestamp when one was given. */
  iso: string
}

export type DateResult = { ok: true; date: PostDate; padded: boolean } | { ok: false }

const PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/i

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Parses a front matter date value. */
export function parseDate(value: unknown): DateResult {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false }
    const iso = value.toISOString()
    const midnight = iso.endsWith('T00:00:00.000Z')
    return { ok: true, padded: true, date: { time: value.getTime(), day: iso.slice(0, 10), iso: midnight ? iso.slice(0, 10) : iso } }
  }
  if (typeof value !== 'string') return { ok: false }
  const m = PATTERN.exec(value.trim())
  if (m === null) return { ok: false }
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = h === undefined ? 0 : Number(h)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = s === undefined ? 0 : Number(s)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false }
  const padded = mo!.length === 2 && d!.length === 2 && (h === undefined || h.length === 2)
  const dayString = `${y}-${pad(month)}-${pad(day)}`
  if (h === undefined) {
    return { ok: true, padded, date: { time: Date.UTC(year, month - 1, day), day: dayString, iso: dayString } }
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'))
  let offsetMinutes = 0
  let zoneText = 'Z'
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2))
    if (oh > 23 || om > 59) return { ok: false }
    offsetMinutes = sign * (oh * 60 + om)
    zoneText = `${zone[0]}${pad(oh)}:${pad(om)}`
  }
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000
  const iso = `${dayString}T${pad(hour)}:${pad(minute)}:${pad(second)}${millis === 0 ? '' : `.${pad(millis, 3)}`}${zoneText}`
  return { ok: true, padded, date: { time, day: dayString, iso } }
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The RFC 3339 instant of a post date, for feeds and the sitemap. */
export function toDate(date: PostDate): Date {
  return new Date(date.time)
}

/** Jekyll-style file names carry the date: `2023-03-29-hello.md`. */
export function dateFromFileName(file: string): string | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1)
  return /^(\d{4}-\d{2}-\d{2})-/.exec(name)?.[1]
}

/** Formats the day for readers in the site's language, the same on every machine and time zone. */
export function createDayFormatter(language: string): (day: string) => string {
  const format = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
  // Intl formatting is slow and a blog has many posts per day (and cards repeat them): once per day.
  const cache = new Map<string, string>()
  return (day) => {
    let text = cache.get(day)
    if (text === undefined) {
      text = format.format(new Date(`${day}T00:00:00Z`))
      cache.set(day, text)
    }
    return text
  }
}
