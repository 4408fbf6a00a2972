/**
 * The DNSLink record itself: `_dnslink.<domain>` TXT `dnslink=/ipfs/<cid>` (or
 * `dnslink=/ipns/<name>`). Every provider shares this: which value to write, which of the
 * TXT records at the name are DNSLink records, and what a change removes. Other TXT records
 * at the same name (verification tokens, SPF) are never touched.
 */
import type { CID } from 'multiformats/cid'
import { pickDnslink } from '../../gateway/dnslink.ts'
import { DnslinkError } from '../../errors.ts'

const PREFIX = 'dnslink='
/** A DNS label: letters, digits, hyphens and underscores (for `_dnslink`), 1-63 characters. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/

/** One TXT record at the DNSLink name, as a provider holds it. */
export interface TxtRecord {
  /** The record's strings joined: what DNSLink reads. */
  text: string
  /** Seconds resolvers may cache it. */
  ttl: number
  /** The provider's handle for it (Cloudflare and DNSimple record id; raw strings for RFC 2136). */
  ref?: unknown
}

/** What a publish changes at `_dnslink.<domain>`. */
export interface DnslinkPlan {
  /** The TXT string to end up with: `dnslink=/ipfs/<cid>`. */
  target: string
  /** Every DNSLink TXT record there now, in the provider's order; others are left out. */
  current: TxtRecord[]
  /** What gateways resolve now (the smallest valid value), if anything. */
  previous: string | undefined
  /** DNSLink values that go away, besides the one `previous` names: the duplicates cleaned up. */
  removed: string[]
  /** True when the one DNSLink record there already is the target. */
  unchanged: boolean
}

/** Lower-cased, without a trailing dot; refuses what is not a DNS name, naming the option. */
export function normalizeDomain(domain: string, option = 'domain'): string {
  const name = domain.trim().toLowerCase().replace(/\.$/, '')
  const labels = name.split('.')
  if (name === '' || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || name.length > 253) {
    throw new DnslinkError(`dnslink: \`${option}\` must be a domain name such as blog.example.com, got '${domain}'`)
  }
  return name
}

/** `_dnslink.<domain>`: where the record lives. */
export const dnslinkName = (domain: string): string => `_dnslink.${domain}`

/** The value a publish writes: `/ipns/<name>` when configured, otherwise the CID as CIDv1 (what gateways print). */
export function dnslinkValue(cid: CID, ipns?: string): string {
  if (ipns !== undefined) return `/ipns/${ipns}`
  return `/ipfs/${cid.toV1().toString()}`
}

/** True for a TXT string that is a DNSLink record, valid or not: a stale malformed one is replaced too. */
export const isDnslinkText = (text: string): boolean => text.trim().startsWith(PREFIX)

/** The value part of a DNSLink TXT string. */
export const dnslinkOf = (text: string): string => text.trim().slice(PREFIX.length).trim()

/** The DNSLink value among TXT strings, picked the way gateways pick it. */
export function currentValue(texts: readonly string[]): string | undefined {
  return pickDnslink(texts) ?? texts.filter(isDnslinkText).map(dnslinkOf)[0]
}

/** Compares the records at the name with the value to publish. */
export function planDnslink(records: readonly TxtRecord[], value: string): DnslinkPlan {
  const target = `${PREFIX}${value}`
  const current = records.filter((r) => isDnslinkText(r.text))
  const previous = currentValue(current.map((r) => r.text))
  const removed = current.map((r) => dnslinkOf(r.text)).filter((v) => v !== previous)
  const first = current[0]
  const unchanged = current.length === 1 && first !== undefined && first.text.trim() === target
  return { target, current, previous, removed, unchanged }
}

/** Splits a TXT string into the ≤255-byte character-strings DNS carries (RFC 1035 §3.3.14). */
export function txtChunks(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8')
  const chunks: Buffer[] = []
  for (let at = 0; at < bytes.length; at += 255) chunks.push(bytes.subarray(at, at + 255))
  return chunks.length === 0 ? [Buffer.alloc(0)] : chunks
}

/**
 * A TXT record's content as an API shows it: either RFC 1035 quoted character-strings
 * (`"a" "b"`, with `\"` and `\\` escapes, what Cloudflare asks for) or the bare text.
 */
export function parseTxtContent(content: string): string {
  const text = content.trim()
  if (!text.startsWith('"')) return text
  const parts: string[] = []
  const quoted = /"((?:[^"\\]|\\.)*)"/g
  for (const match of text.matchAll(quoted)) parts.push((match[1] ?? '').replace(/\\(.)/g, '$1'))
  return parts.join('')
}

/** A TXT string as one quoted character-string per 255 bytes (DNSLink values never hold quotes or backslashes). */
export function quoteTxtContent(text: string): string {
  return txtChunks(text)
    .map((chunk) => `"${chunk.toString('utf8').replace(/(["\\])/g, '\\$1')}"`)
    .join(' ')
}
