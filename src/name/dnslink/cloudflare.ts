/**
 * DNSLink through Cloudflare's API v4 with an API token (Bearer; permissions Zone:Read
 * and DNS:Edit on the zone): find the zone by name, list the TXT records at
 * `_dnslink.<domain>` page by page, then update one DNSLink record in place (or create
 * it) and delete the duplicates, so the name always has a DNSLink record. Cloudflare
 * has no transaction over these calls; the update goes first so a failure later leaves
 * the new value live with a duplicate, never no value.
 * https://developers.cloudflare.com/api/resources/zones/methods/list/
 * https://developers.cloudflare.com/api/resources/dns/subresources/records/
 */
import { CLOUDFLARE_API_URL, DNS_API_PAGE_SIZE } from '../../constants.ts'
import { DnslinkError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import type { NamePublisher, NamePublishOptions } from '../index.ts'
import { discoverAuthoritative } from './authoritative.ts'
import { cloudflareResult } from './cloudflare-errors.ts'
import { createApiClient, type HttpComponents } from './http.ts'
import { createDnslinkPublisher, type DnslinkBackend, type DnslinkInit, type DnslinkPublishResult, normalizeDnslinkInit } from './publisher.ts'
import { dnslinkName, normalizeDomain, parseTxtContent, quoteTxtContent, type TxtRecord } from './record.ts'
import type { DnsServer } from './transport.ts'

export interface CloudflareComponents extends HttpComponents {
  /** Finds the zone's authoritative servers when `authoritativeServers` is not given. @default its NS set, looked up with the system resolver */
  discover?: (zone: string, options: AbortOptions) => Promise<DnsServer[]>
}

export interface CloudflareInit extends DnslinkInit {
  /** The API token (from the environment, never from config). */
  token: string
  /** The environment variable the token came from, named in error messages, e.g. `CLOUDFLARE_API_TOKEN`. */
  tokenEnv?: string
  /** The Cloudflare zone holding the domain. @default the domain, then each parent domain, until Cloudflare knows one */
  zone?: string
  /** @default 'https://api.cloudflare.com/client/v4' */
  apiUrl?: string
}

interface Zone {
  id: string
  name: string
}

interface DnsRecord {
  id: string
  content: string
  ttl: number
}

/** Cloudflare's "automatic" TTL is sent as 1 and means 300 s. */
const AUTOMATIC_TTL = 1
const AUTOMATIC_TTL_SECONDS = 300

/** The domain, then its parents down to two labels: the names a zone could have. */
const candidateZones = (domain: string): string[] => domain.split('.').flatMap((_, i, labels) => (labels.length - i >= 2 ? [labels.slice(i).join('.')] : []))

export function createCloudflareDnslink(components: CloudflareComponents, init: CloudflareInit): NamePublisher<DnslinkPublishResult> {
  const common = normalizeDnslinkInit(init)
  if (typeof init.token !== 'string' || init.token.trim() === '') {
    throw new DnslinkError(`dnslink: the Cloudflare API token is empty${init.tokenEnv === undefined ? '' : `: set $${init.tokenEnv}`}`)
  }
  const record = dnslinkName(common.domain)
  const token = init.tokenEnv === undefined ? 'the Cloudflare API token' : `the token in $${init.tokenEnv}`
  const api = createApiClient(
    { provider: 'cloudflare', label: 'Cloudflare', domain: common.domain, baseUrl: init.apiUrl ?? CLOUDFLARE_API_URL, token: init.token.trim() },
    components,
  )
  const zones = init.zone === undefined ? candidateZones(common.domain) : [normalizeDomain(init.zone, 'zone')]
  let zone: Zone | undefined

  const call = async (method: string, path: string, action: string, options: NamePublishOptions, extra: { query?: Record<string, string | number>; body?: unknown } = {}) => {
    const reply = await api.request(method, path, { ...options, ...extra })
    return { reply, result: cloudflareResult(reply, { action, token, zone: zone?.name ?? zones[0] ?? common.domain, record }) }
  }

  async function findZone(options: NamePublishOptions): Promise<Zone> {
    if (zone !== undefined) return zone
    for (const name of zones) {
      const { result } = await call('GET', '/zones', `look up the zone ${name}`, options, { query: { name } })
      const found = (result as Zone[] | undefined)?.[0]
      if (found !== undefined) {
        zone = { id: found.id, name: found.name }
        return zone
      }
    }
    throw new DnslinkError(`Cloudflare shows ${token} no zone named ${zones.join(' or ')}: check the domain (or set \`zone\`) and that the token has Zone:Read on it`)
  }

  async function listRecords(options: NamePublishOptions): Promise<DnsRecord[]> {
    const { id, name } = await findZone(options)
    const records: DnsRecord[] = []
    for (let page = 1; ; page++) {
      const query = { type: 'TXT', name: record, page, per_page: DNS_API_PAGE_SIZE }
      const { reply, result } = await call('GET', `/zones/${id}/dns_records`, `read the DNS records of ${name}`, options, { query })
      records.push(...((result as DnsRecord[] | undefined) ?? []))
      const info = (reply.body as { result_info?: { total_pages?: number } }).result_info
      if (info?.total_pages === undefined || page >= info.total_pages) return records
    }
  }

  const backend: DnslinkBackend = {
    provider: 'cloudflare',
    async list(options) {
      return (await listRecords(options)).map((r) => ({
        text: parseTxtContent(r.content),
        ttl: r.ttl === AUTOMATIC_TTL ? AUTOMATIC_TTL_SECONDS : r.ttl,
        ref: r.id,
      }))
    },
    async apply(plan, _records, options) {
      const { id, name } = await findZone(options)
      const content = quoteTxtContent(plan.target)
      const keep: TxtRecord | undefined = plan.current.find((r) => r.text.trim() === plan.target) ?? plan.current[0]
      if (keep === undefined) {
        const body = { type: 'TXT', name: record, content, ttl: common.ttl, comment: 'DNSLink, set by ipfs-publish' }
        await call('POST', `/zones/${id}/dns_records`, `create ${record} in ${name}`, options, { body })
      } else if (keep.text.trim() !== plan.target) {
        await call('PATCH', `/zones/${id}/dns_records/${keep.ref}`, `update ${record} in ${name}`, options, { body: { content } })
      }
      for (const duplicate of plan.current.filter((r) => r !== keep)) {
        await call('DELETE', `/zones/${id}/dns_records/${duplicate.ref}`, `delete a duplicate ${record} in ${name}`, options)
      }
    },
    async authoritative(options) {
      const found = await findZone(options)
      if (components.discover !== undefined) return components.discover(found.name, options)
      return discoverAuthoritative(found.name, options)
    },
  }
  return createDnslinkPublisher(backend, common)
}
