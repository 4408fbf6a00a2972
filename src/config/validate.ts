/**
 * A small declarative validator for configuration objects. Every message names the
 * option by its dotted path (`pack.profile`) so the user knows exactly what to fix;
 * the caller adds the file name.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { durationMs } from '../duration.ts'

export type Check<T> = (value: unknown, path: string) => T

export class ValidationError extends Error {
  override name = 'ValidationError'
  readonly path: string

  constructor(path: string, message: string) {
    super(path === '' ? message : `\`${path}\` ${message}`)
    this.path = path
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ValidationError(path, `must be ${expected}, got ${describe(value)}`)
}

export const string: Check<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v))

export const nonEmptyString: Check<string> = (v, p) =>
  typeof v === 'string' && v.trim() !== '' ? v : fail(p, 'a non-empty string', v)

export const boolean: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false', v))

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, p) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? v
      : fail(p, `a whole number from ${min} to ${max}`, v)
}

export function oneOf<const T extends readonly string[]>(choices: T): Check<T[number]> {
  return (v, p) =>
    typeof v === 'string' && choices.includes(v)
      ? (v as T[number])
      : fail(p, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, v)
}

/** An absolute http(s) URL; returned without a trailing slash unless it is the origin alone. */
export const httpUrl: Check<string> = (v, p) => {
  if (typeof v !== 'string') return fail(p, 'an http(s) URL', v)
  let url: URL
  try {
    url = new URL(v)
  } catch {
    return fail(p, 'an absolute http(s) URL such as https://blog.example/', v)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(p, 'an http(s) URL', v)
  return url.href
}

/**
 * A libp2p multiaddr such as `/ip4/127.0.0.1/tcp/4001`; with `peer`, it must end in the
 * `/p2p/<PeerID>` to dial, since a node without routing cannot look the peer up.
 */
export function multiaddrString(options: { peer?: boolean } = {}): Check<string> {
  return (v, p) => {
    if (typeof v !== 'string') return fail(p, 'a multiaddr string', v)
    let components: Array<{ name: string }>
    try {
      components = multiaddr(v).getComponents()
    } catch {
      return fail(p, 'a multiaddr such as /ip4/127.0.0.1/tcp/4001', v)
    }
    if (options.peer === true && components.at(-1)?.name !== 'p2p') {
      return fail(p, 'a multiaddr ending in /p2p/<PeerID>', v)
    }
    return v
  }
}

/** A duration such as `90s`, `10m`, `1h` or `30d`, in milliseconds (more than 0). */
export const duration: Check<number> = (v, p) => {
  const text = nonEmptyString(v, p)
  const ms = durationMs(text)
  if (ms === undefined) throw new ValidationError(p, `must be a duration such as 90s, 10m or 1h, got '${text}'`)
  if (ms <= 0) throw new ValidationError(p, 'must be longer than 0')
  return ms
}

/**
 * The NAME of an environment variable that holds a secret. Config files are committed,
 * so the secret itself never belongs in one.
 */
export const envName: Check<string> = (v, p) => {
  const name = nonEmptyString(v, p)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ValidationError(p, 'must be the NAME of an environment variable (such as PINATA_TOKEN) that holds the secret, not the secret itself')
  }
  return name
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (v, p) => (Array.isArray(v) ? v.map((x, i) => item(x, `${p}[${i}]`)) : fail(p, 'a list', v))
}

export function recordOf<T>(item: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'an object', v)
    const out: Record<string, T> = {}
    for (const [k, x] of Object.entries(v)) out[k] = item(x, p === '' ? k : `${p}.${k}`)
    return out
  }
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : check(v, p))
}

type Shape = Record<string, Check<unknown>>
type FromShape<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> }

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]!
}

/** An object with known keys; an unknown key is an error that suggests the nearest known one. */
export function object<S extends Shape>(shape: S): Check<FromShape<S>> {
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'an object', v)
    const known = Object.keys(shape)
    for (const key of Object.keys(v)) {
      if (!known.includes(key)) {
        const where = p === '' ? key : `${p}.${key}`
        const hint = closest(key, known)
        throw new ValidationError(where, `is not a known option${hint === undefined ? '' : ` (did you mean \`${hint}\`?)`}`)
      }
    }
    const out: Record<string, unknown> = {}
    for (const [key, check] of Object.entries(shape)) {
      const value = check((v as Record<string, unknown>)[key], p === '' ? key : `${p}.${key}`)
      if (value !== undefined) out[key] = value
    }
    return out as FromShape<S>
  }
}
