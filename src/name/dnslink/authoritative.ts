/**
 * Reading `_dnslink.<domain>` from the zone's authoritative servers: what `current()`
 * shows, how long resolvers may have cached the old answer, and the bounded wait after an
 * update until every server answers the new value. Asking the authoritative servers
 * (never a recursive resolver) is what makes the check mean "the update is live".
 */
import { Resolver } from 'node:dns/promises'
import type { SoaAnswer, TxtAnswer as TxtRecordAnswer } from 'dns-packet'
import { DNSLINK_PROPAGATION_MAX_DELAY_MS, DNSLINK_PROPAGATION_MIN_DELAY_MS, DNSLINK_PROPAGATION_TIMEOUT_MS } from '../../constants.ts'
import { AbortError, DnslinkError, DnslinkNotVisibleError } from '../../errors.ts'
import { isDnslinkText } from './record.ts'
import { type DnsServer, type ExchangeOptions, formatServer, queryServer } from './transport.ts'

export interface TxtAnswer {
  /** Each TXT record's strings joined. */
  texts: string[]
  /** The raw strings of each record, in the same order (an RFC 2136 delete must repeat them exactly). */
  chunks: Buffer[][]
  /** How long resolvers may cache this answer: the TXT TTL, or for "no such record" the SOA's negative TTL (RFC 2308). */
  ttl: number | undefined
}

/** Asks one authoritative server for the TXT records at `name`. */
export async function readTxt(server: DnsServer, name: string, options: ExchangeOptions = {}): Promise<TxtAnswer> {
  const reply = await queryServer(server, name, 'TXT', options)
  if (reply.rcode !== 'NOERROR' && reply.rcode !== 'NXDOMAIN') {
    const hint = reply.rcode === 'REFUSED' || reply.rcode === 'NOTAUTH' ? `: it is not authoritative for ${name}'s zone` : ''
    throw new DnslinkError(`the DNS server ${formatServer(server)} answered ${reply.rcode} for ${name} TXT${hint}`)
  }
  const records = (reply.answers ?? []).filter((a): a is TxtRecordAnswer => a.type === 'TXT' && a.name.toLowerCase() === name.toLowerCase())
  // Decoded TXT data is always an array of Buffers, one per character-string.
  const chunks = records.map((r) => (r.data as Buffer[]).map((c) => Buffer.from(c)))
  if (records.length > 0) {
    return { texts: chunks.map((c) => Buffer.concat(c).toString('utf8')), chunks, ttl: Math.min(...records.map((r) => r.ttl ?? 0)) }
  }
  const soa = (reply.authorities ?? []).find((a): a is SoaAnswer => a.type === 'SOA')
  return { texts: [], chunks: [], ttl: soa === undefined ? undefined : Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0) }
}

/** Looks up a zone's NS set and their addresses with the system resolver: the default servers to check. */
export async function discoverAuthoritative(zone: string, options: { signal?: AbortSignal } = {}): Promise<DnsServer[]> {
  const resolver = new Resolver()
  const onAbort = (): void => resolver.cancel()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const hosts = await resolver.resolveNs(zone)
    const addresses = await Promise.all(
      hosts.map(async (host) => {
        const v4 = await resolver.resolve4(host).catch(() => [] as string[])
        return v4.length > 0 ? v4 : await resolver.resolve6(host).catch(() => [] as string[])
      }),
    )
    const servers = addresses.flat().map((host) => ({ host, port: 53 }))
    if (servers.length === 0) throw new Error('no addresses for its name servers')
    return servers
  } catch (err) {
    options.signal?.throwIfAborted()
    throw new DnslinkError(`cannot find the authoritative servers of ${zone} (${(err as Error).message}); list them in \`authoritativeServers\``, {
      cause: err,
    })
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

export interface WaitOptions extends ExchangeOptions {
  /** @default DNSLINK_PROPAGATION_TIMEOUT_MS (2 min) */
  propagationTimeoutMs?: number
  onWaiting?: (detail: { server: string; attempt: number; delayMs: number; answer: string }) => void
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new AbortError('the wait for the DNSLink update was cancelled', { cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (signal?.aborted === true) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** What a server's DNSLink answer looks like, in words for messages and events. */
const describe = (texts: string[]): string => {
  const links = texts.filter(isDnslinkText)
  return links.length === 0 ? 'no dnslink= record' : links.join(', ')
}

/**
 * Re-asks each server, with exponential backoff, until its only DNSLink record is
 * `target`; fails with what each late server still answers once the time is up.
 */
export async function waitForRecord(servers: DnsServer[], name: string, target: string, options: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.propagationTimeoutMs ?? DNSLINK_PROPAGATION_TIMEOUT_MS)
  const late = new Map<DnsServer, string>(servers.map((s) => [s, 'not asked yet']))
  for (let attempt = 1; ; attempt++) {
    await Promise.all(
      [...late.keys()].map(async (server) => {
        try {
          const { texts } = await readTxt(server, name, options)
          const links = texts.filter(isDnslinkText).map((t) => t.trim())
          if (links.length === 1 && links[0] === target) late.delete(server)
          else late.set(server, describe(texts))
        } catch (err) {
          if (err instanceof AbortError) throw err
          late.set(server, `error: ${(err as Error).message}`)
        }
      }),
    )
    if (late.size === 0) return
    const delayMs = Math.min(DNSLINK_PROPAGATION_MAX_DELAY_MS, DNSLINK_PROPAGATION_MIN_DELAY_MS * 2 ** (attempt - 1))
    if (Date.now() + delayMs > deadline) {
      const answers = [...late].map(([s, answer]) => `${formatServer(s)} answers ${answer}`).join('; ')
      throw new DnslinkNotVisibleError(`${name} was updated, but not every authoritative server answers '${target}' yet: ${answers}`)
    }
    for (const [server, answer] of late) options.onWaiting?.({ server: formatServer(server), attempt, delayMs, answer })
    await sleep(delayMs, options.signal)
  }
}
