/**
 * DNSLink through DNSimple's API v2 (Bearer account token).
 *
 * Why DNSimple as the third provider: the IPFS project's own DNSLink tooling started
 * there (`dnslink-dnsimple`, which updated ipfs.io's sites), so many DNSLink domains live
 * on it; its API is a plain token-authenticated JSON API that needs nothing installed,
 * unlike Route 53's SigV4-signed XML (whose signer is a project of its own); and unlike
 * Gandi it documents its error bodies, pagination and rate limit precisely, which the
 * tests' local server follows (https://developer.dnsimple.com/v2/).
 *
 * Records are per record (its batch endpoint is Enterprise-only): the publisher updates
 * one DNSLink record in place (or creates it) and then deletes duplicates, so the name
 * always has a DNSLink record.
 */
import { DNS_API_PAGE_SIZE, DNSIMPLE_API_URL } from '../../constants.ts'
import { DnslinkAuthError, DnslinkError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import type { NamePublisher, NamePublishOptions } from '../index.ts'
import { discoverAuthoritative } from './authoritative.ts'
import { type ApiReply, createApiClient, type HttpComponents } from './http.ts'
import { createDnslinkPublisher, type DnslinkBackend, type DnslinkInit, type DnslinkPublishResult, normalizeDnslinkInit } from './publisher.ts'
import { dnslinkName, normalizeDomain, parseTxtContent, type TxtRecord } from './record.ts'
import type { DnsServer } from './transport.ts'

export interface DnsimpleComponents extends HttpComponents {
  /** Finds the zone's authoritative servers when `authoritativeServers` is not given. @default its NS set, looked up with the system resolver */
  discover?: (zone: string, options: AbortOptions) => Promise<DnsServer[]>
}

export interface DnsimpleInit extends DnslinkInit {
  /** An account API token (from the environment, never from config). */
  token: string
  /** The environment variable the token came from, named in error messages, e.g. `DNSIMPLE_TOKEN`. */
  tokenEnv?: string
  /** The numeric account id. @default the token's account, from `GET /whoami` (account tokens only) */
  account?: string
  /** The DNSimple zone holding the domain. @default the domain */
  zone?: string
  /** @default 'https://api.dnsimple.com/v2' (the sandbox is 'https://api.sandbox.dnsimple.com/v2') */
  apiUrl?: string
}

interface ZoneRecord {
  id: number
  name: string
  type: string
  content: string
  ttl: number
}

export function createDnsimpleDnslink(components: DnsimpleComponents, init: DnsimpleInit): NamePublisher<DnslinkPublishResult> {
  const common = normalizeDnslinkInit(init)
  if (typeof init.token !== 'string' || init.token.trim() === '') {
    throw new DnslinkError(`dnslink: the DNSimple API token is empty${init.tokenEnv === undefined ? '' : `: set $${init.tokenEnv}`}`)
  }
  const zone = init.zone === undefined ? common.domain : normalizeDomain(init.zone, 'zone')
  const record = dnslinkName(common.domain)
  if (!record.endsWith(`.${zone}`)) throw new DnslinkError(`dnslink: the domain ${common.domain} is not inside the zone ${zone}: check \`zone\``)
  // DNSimple names records relative to the zone: `_dnslink` or `_dnslink.www`.
  const relative = record.slice(0, -(zone.length + 1))
  const token = init.tokenEnv === undefined ? 'the DNSimple API token' : `the token in $${init.tokenEnv}`
  const api = createApiClient(
    { provider: 'dnsimple', label: 'DNSimple', domain: common.domain, baseUrl: init.apiUrl ?? DNSIMPLE_API_URL, token: init.token.trim() },
    components,
  )
  let account = init.account

  /** `data` of a successful reply; a clear error otherwise (the body is `{ message, errors? }`). */
  function data(reply: ApiReply, action: string): unknown {
    if (reply.status >= 200 && reply.status < 300) return (reply.body as { data?: unknown } | undefined)?.data
    const body = reply.body as { message?: string; errors?: Record<string, unknown> } | undefined
    const detail = `HTTP ${reply.status}${body?.message === undefined ? '' : `: ${body.message}`}${body?.errors === undefined ? '' : ` ${JSON.stringify(body.errors)}`}`
    if (reply.status === 401) throw new DnslinkAuthError(`DNSimple rejected ${token}: it is invalid or expired (${detail})`)
    if (reply.status === 403) throw new DnslinkAuthError(`${token} lacks permission to ${action} (${detail})`)
    if (reply.status === 404) throw new DnslinkError(`DNSimple has no zone ${zone} in account ${account}, or ${token} cannot see it: check \`zone\` and \`account\` (${detail})`)
    if (reply.status === 429) {
      const reset = Number(reply.headers.get('x-ratelimit-reset'))
      const when = Number.isFinite(reset) && reset > 0 ? `after ${new Date(reset * 1000).toISOString()}` : 'later'
      throw new DnslinkError(`DNSimple's hourly API rate limit was reached while trying to ${action}: try again ${when} (${detail})`)
    }
    throw new DnslinkError(`DNSimple could not ${action} (${detail})`)
  }

  async function accountId(options: NamePublishOptions): Promise<string> {
    if (account !== undefined) return account
    const who = data(await api.request('GET', '/whoami', options), 'identify its account') as { account?: { id?: number } | null }
    if (who.account?.id === undefined) throw new DnslinkError(`${token} is a user token, which can reach several accounts: set \`account\` to the account id`)
    account = String(who.account.id)
    return account
  }

  const recordsPath = async (options: NamePublishOptions): Promise<string> => `/${await accountId(options)}/zones/${zone}/records`

  const backend: DnslinkBackend = {
    provider: 'dnsimple',
    async list(options) {
      const path = await recordsPath(options)
      const records: TxtRecord[] = []
      for (let page = 1; ; page++) {
        const query = { name: relative, type: 'TXT', page, per_page: DNS_API_PAGE_SIZE }
        const reply = await api.request('GET', path, { ...options, query })
        const found = (data(reply, `read the records of ${zone}`) as ZoneRecord[] | undefined) ?? []
        records.push(...found.map((r) => ({ text: parseTxtContent(r.content), ttl: r.ttl, ref: r.id })))
        const pages = (reply.body as { pagination?: { total_pages?: number } }).pagination?.total_pages
        if (pages === undefined || page >= pages) return records
      }
    },
    async apply(plan, _records, options) {
      const path = await recordsPath(options)
      const keep = plan.current.find((r) => r.text.trim() === plan.target) ?? plan.current[0]
      if (keep === undefined) {
        const body = { name: relative, type: 'TXT', content: plan.target, ttl: common.ttl }
        data(await api.request('POST', path, { ...options, body }), `create ${record} in ${zone}`)
      } else if (keep.text.trim() !== plan.target) {
        data(await api.request('PATCH', `${path}/${keep.ref}`, { ...options, body: { content: plan.target } }), `update ${record} in ${zone}`)
      }
      for (const duplicate of plan.current.filter((r) => r !== keep)) {
        data(await api.request('DELETE', `${path}/${duplicate.ref}`, options), `delete a duplicate ${record} in ${zone}`)
      }
    },
    async authoritative(options) {
      return (components.discover ?? discoverAuthoritative)(zone, options)
    },
  }
  return createDnslinkPublisher(backend, common)
}
