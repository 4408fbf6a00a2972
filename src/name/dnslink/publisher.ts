/**
 * The DNSLink publish, whatever the provider: read the records at `_dnslink.<domain>`,
 * leave them alone when the one DNSLink record already has the value, otherwise let the
 * provider replace the DNSLink records (and only those) with the new one, then wait until
 * every authoritative server answers it. Providers only list and apply.
 */
import type { CID } from 'multiformats/cid'
import { DNSLINK_TTL_SECONDS } from '../../constants.ts'
import { DnslinkError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import type { NamePublisher, NamePublishOptions, NamePublishResult } from '../index.ts'
import { readTxt, waitForRecord } from './authoritative.ts'
import { currentValue, type DnslinkPlan, dnslinkName, dnslinkValue, normalizeDomain, planDnslink, type TxtRecord } from './record.ts'
import { type DnsServer, formatServer, parseServer } from './transport.ts'

/** What every DNSLink provider takes besides its own connection settings and secret. */
export interface DnslinkInit {
  /** The site's domain: the record is `_dnslink.<domain>`. */
  domain: string
  /** Point the domain at `/ipns/<ipns>` (an IPNS name or another DNSLink domain) instead of the CID. */
  ipns?: string
  /** TTL in seconds of a record this tool creates; existing records keep theirs. @default 300 */
  ttl?: number
  /** The zone's authoritative servers to check after the update (`host` or `host:port`). @default the provider's: the RFC 2136 server, or the zone's NS set */
  authoritativeServers?: string[]
  /** How long to wait for every authoritative server to answer the new value. @default 120000 */
  propagationTimeoutMs?: number
  /** Time limit of each DNS query. @default 5000 */
  queryTimeoutMs?: number
}

export interface DnslinkPublishResult extends NamePublishResult {
  /** The domain. */
  name: string
  /** `/ipfs/<cid>` or `/ipns/<name>`. */
  value: string
  status: 'updated' | 'unchanged'
  provider: string
  /** `_dnslink.<domain>`. */
  record: string
  /** Extra DNSLink values that were there besides `previous` and are gone now (duplicates cleaned up). */
  removed: string[]
  /** The authoritative servers that answered the new value. */
  servers: string[]
  /** Resolvers may keep serving the old answer this many seconds (its TTL); undefined when unknown. */
  cacheTtlSeconds: number | undefined
}

/** `onProgress` gets `name:dnslink:*` events (`DnslinkProgressEvents`). */
export type DnslinkPublishOptions = NamePublishOptions

/** The provider-specific half: how to list and change the TXT records at the DNSLink name. */
export interface DnslinkBackend {
  readonly provider: string
  list(options: DnslinkPublishOptions): Promise<TxtRecord[]>
  /** Leaves `plan.target` as the only DNSLink record; `records` are all TXT records listed before. */
  apply(plan: DnslinkPlan, records: TxtRecord[], options: DnslinkPublishOptions): Promise<void>
  /** Where to check the result when `authoritativeServers` is not given. */
  authoritative(options: AbortOptions): Promise<DnsServer[]>
}

export interface NormalizedDnslinkInit {
  domain: string
  ipns: string | undefined
  ttl: number
  servers: DnsServer[] | undefined
  propagationTimeoutMs: number | undefined
  queryTimeoutMs: number | undefined
}

export function normalizeDnslinkInit(init: DnslinkInit): NormalizedDnslinkInit {
  const ttl = init.ttl ?? DNSLINK_TTL_SECONDS
  if (!Number.isInteger(ttl) || ttl < 1) throw new DnslinkError(`dnslink: \`ttl\` must be a whole number of seconds, 1 or more, got ${ttl}`)
  if (init.ipns !== undefined && !/^[^/\s]+$/.test(init.ipns)) throw new DnslinkError(`dnslink: \`ipns\` must be an IPNS name or a domain, got '${init.ipns}'`)
  return {
    domain: normalizeDomain(init.domain),
    ipns: init.ipns,
    ttl,
    servers: init.authoritativeServers?.map((s) => parseServer(s, 'authoritativeServers')),
    propagationTimeoutMs: init.propagationTimeoutMs,
    queryTimeoutMs: init.queryTimeoutMs,
  }
}

export function createDnslinkPublisher(backend: DnslinkBackend, init: NormalizedDnslinkInit): NamePublisher<DnslinkPublishResult> {
  const { domain } = init
  const record = dnslinkName(domain)
  const servers = async (options: AbortOptions): Promise<DnsServer[]> => init.servers ?? (await backend.authoritative(options))
  const query = (options: AbortOptions) => ({ signal: options.signal, timeoutMs: init.queryTimeoutMs })

  return {
    kind: 'dnslink',
    name: `dnslink ${domain} (${backend.provider})`,
    async current(options = {}) {
      const [first] = await servers(options)
      if (first === undefined) throw new DnslinkError(`no authoritative server to ask for ${record}`)
      return currentValue((await readTxt(first, record, query(options))).texts)
    },
    async publish(cid: CID, options: DnslinkPublishOptions = {}) {
      const { onProgress } = options
      const value = dnslinkValue(cid, init.ipns)
      const checked = await servers(options)
      const [first] = checked
      if (first === undefined) throw new DnslinkError(`no authoritative server to check ${record} on`)
      // Before the change: what resolvers may hold now, and for how long.
      const before = await readTxt(first, record, query(options))
      const records = await backend.list(options)
      onProgress?.({ type: 'name:dnslink:current', detail: { domain, provider: backend.provider, records: records.map((r) => r.text) } })
      const plan = planDnslink(records, value)
      if (plan.unchanged) {
        onProgress?.({ type: 'name:dnslink:unchanged', detail: { domain, provider: backend.provider, value } })
      } else {
        await backend.apply(plan, records, options)
        const detail = { domain, provider: backend.provider, value, removed: plan.removed }
        onProgress?.({ type: 'name:dnslink:updated', detail: plan.previous === undefined ? detail : { ...detail, previous: plan.previous } })
      }
      await waitForRecord(checked, record, plan.target, {
        ...query(options),
        propagationTimeoutMs: init.propagationTimeoutMs,
        onWaiting: (detail) => onProgress?.({ type: 'name:dnslink:waiting', detail: { domain, ...detail } }),
      })
      const cacheTtlSeconds = plan.unchanged ? undefined : before.ttl
      const verified = checked.map(formatServer)
      onProgress?.({
        type: 'name:dnslink:verified',
        detail: cacheTtlSeconds === undefined ? { domain, servers: verified } : { domain, servers: verified, cacheTtlSeconds },
      })
      return {
        name: domain,
        value,
        previous: plan.previous,
        status: plan.unchanged ? 'unchanged' : 'updated',
        provider: backend.provider,
        record,
        removed: plan.removed,
        servers: verified,
        cacheTtlSeconds,
      }
    },
  }
}
