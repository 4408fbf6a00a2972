/**
 * DNSLink: the TXT record `dnslink=/ipfs/<cid>` (or `/ipns/<name>`) at
 * `_dnslink.<domain>`. The TXT lookup is a function so that tests and other callers
 * choose the DNS server; the default asks the system's (or the given) servers.
 */
import { Resolver } from 'node:dns/promises'
import { DNSLINK_CACHE_MS } from '../constants.ts'
import { HttpError } from './http-error.ts'

/** Returns the TXT records at a name, each joined into one string; [] when there are none. */
export type TxtResolver = (name: string, options: { signal?: AbortSignal }) => Promise<string[]>

/** DNS answers that mean "no such record", as opposed to a failed lookup. */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN'])

/**
 * A `TxtResolver` on `node:dns/promises`. `servers` (`'127.0.0.1:5353'`, ...) replace the
 * system's resolvers when given.
 */
export function createTxtResolver(options: { servers?: string[]; timeoutMs?: number } = {}): TxtResolver {
  return async (name, { signal }) => {
    signal?.throwIfAborted()
    // One resolver per lookup: cancel() ends every query of a resolver, not just this one.
    const resolver = new Resolver(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, tries: 2 })
    if (options.servers !== undefined && options.servers.length > 0) resolver.setServers(options.servers)
    const onAbort = () => resolver.cancel()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const records = await resolver.resolveTxt(name)
      return records.map((chunks) => chunks.join(''))
    } catch (err) {
      signal?.throwIfAborted()
      if (NO_RECORD.has((err as { code?: string }).code ?? '')) return []
      throw err
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }
}

/** Looks up DNSLink values, remembering answers (found or not) for a while. */
export class DnslinkLookup {
  private readonly resolveTxt: TxtResolver
  private readonly cacheMs: number
  private readonly cache = new Map<string, { value: string | undefined; expires: number }>()

  constructor(resolveTxt: TxtResolver, cacheMs = DNSLINK_CACHE_MS) {
    this.resolveTxt = resolveTxt
    this.cacheMs = cacheMs
  }

  /** The DNSLink path of a domain (`/ipfs/…` or `/ipns/…`), or undefined when it has none. */
  async lookup(domain: string, options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    const cached = this.cache.get(domain)
    if (cached !== undefined && cached.expires > Date.now()) return cached.value
    let records: string[]
    try {
      records = await this.resolveTxt(`_dnslink.${domain}`, options)
    } catch (err) {
      options.signal?.throwIfAborted()
      throw new HttpError(502, `could not look up the DNSLink record of ${domain}: ${(err as Error).message}`, { cause: err })
    }
    const value = pickDnslink(records)
    if (this.cacheMs > 0) this.cache.set(domain, { value, expires: Date.now() + this.cacheMs })
    return value
  }
}

/**
 * The DNSLink value among TXT records. Several valid ones are allowed; the smallest in
 * code-point order is taken so that every gateway picks the same.
 */
export function pickDnslink(records: readonly string[]): string | undefined {
  const values = records
    .map((r) => r.trim())
    .filter((r) => r.startsWith('dnslink='))
    .map((r) => r.slice('dnslink='.length).trim())
    .filter((v) => /^\/(ipfs|ipns)\/[^/]+/.test(v))
    .sort()
  return values[0]
}
