/**
 * The `names` section of the publish config: the names `deploy` and `name` move to a new
 * CID once it is pinned and verified. A list of entries discriminated by `type` (and, for
 * DNSLink, by `provider`). Secrets never appear here: an entry names the environment
 * variable that holds one.
 */
import { DEFAULT_IPNS_KEY, IPNS_RECORD_LIFETIME_MS, IPNS_RECORD_TTL_MS } from '../constants.ts'
import { arrayOf, type Check, duration, envName, httpUrl, integer, nonEmptyString, object, oneOf, optional, string, ValidationError } from './validate.ts'

/** The site's IPNS name: a record signed by a key from the store, or from the environment in CI. */
export interface IpnsNameConfig {
  type: 'ipns'
  /**
   * The keystore name of the signing key under `<store>/keys/` (created on first publish).
   * @default 'site'
   */
  key?: string
  /** An environment variable holding the key as base64 (`ipfs-publish key export`), used instead of the keystore in CI. */
  keyEnv?: string
  /**
   * Delegated Routing V1 HTTP API endpoints the record is published to, e.g. `https://delegated-ipfs.dev`.
   * @default [] (the embedded node only)
   */
  routers?: string[]
  /** How long the record stays valid, e.g. `30d`. @default '30d' */
  lifetime?: string
  /** How long resolvers may cache it, e.g. `5m`. @default '5m' */
  ttl?: string
}

export const DNSLINK_PROVIDERS = ['rfc2136', 'cloudflare', 'dnsimple'] as const
export type DnslinkProvider = (typeof DNSLINK_PROVIDERS)[number]

/** `_dnslink.<domain>` TXT, through one DNS provider. */
export interface DnslinkNameConfig {
  type: 'dnslink'
  provider: DnslinkProvider
  domain: string
  /** Point the domain at `/ipns/<ipns>` instead of the CID. */
  ipns?: string
  /** TTL in seconds of a record this tool creates. @default 300 */
  ttl?: number
  /** Authoritative servers (`host` or `host:port`) checked for the new value. @default the provider's */
  authoritativeServers?: string[]
  /** How long to wait for them to answer the new value, e.g. `2m`. @default '2m' */
  propagationTimeout?: string
  /** rfc2136: the primary server that accepts updates, `host` or `host:port`. */
  server?: string
  /** The zone holding the domain. @default found by the provider */
  zone?: string
  /** rfc2136: the TSIG key's name as the server knows it. */
  keyName?: string
  /** rfc2136: `hmac-sha256` (default), `hmac-sha384` or `hmac-sha512`. */
  keyAlgorithm?: 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512'
  /** rfc2136: the environment variable holding the TSIG secret (base64). */
  secretEnv?: string
  /** cloudflare, dnsimple: the environment variable holding the API token. */
  tokenEnv?: string
  /** cloudflare, dnsimple: the API's base URL (a sandbox, or a local test server). */
  apiUrl?: string
  /** dnsimple: the numeric account id. @default the token's account */
  account?: string
}

export type NameConfig = IpnsNameConfig | DnslinkNameConfig

export interface ResolvedIpnsName {
  type: 'ipns'
  key: string
  keyEnv: string | undefined
  routers: string[]
  lifetimeMs: number
  ttlMs: number
}

export type ResolvedDnslinkName = Omit<DnslinkNameConfig, 'propagationTimeout'> & { propagationTimeoutMs: number | undefined }

export type ResolvedName = ResolvedIpnsName | ResolvedDnslinkName

const SECRET_KEYS = ['secret', 'token', 'privateKey']

function refuseSecrets(v: object, p: string): void {
  for (const key of SECRET_KEYS) {
    if (key in v) throw new ValidationError(`${p}.${key}`, 'must not be in the config: put it in an environment variable and name it here (`secretEnv`, `tokenEnv`, `keyEnv`)')
  }
}

const checkIpns: Check<ResolvedIpnsName> = (v, p) => {
  const n = object({ type: string, key: optional(nonEmptyString), keyEnv: optional(envName), routers: optional(arrayOf(httpUrl)), lifetime: optional(duration), ttl: optional(duration) })(v, p)
  return {
    type: 'ipns',
    key: n.key ?? DEFAULT_IPNS_KEY,
    keyEnv: n.keyEnv,
    routers: n.routers ?? [],
    lifetimeMs: n.lifetime ?? IPNS_RECORD_LIFETIME_MS,
    ttlMs: n.ttl ?? IPNS_RECORD_TTL_MS,
  }
}

/** What each provider needs beyond the common options. */
const REQUIRED: Record<DnslinkProvider, Array<keyof DnslinkNameConfig>> = {
  rfc2136: ['server', 'keyName', 'secretEnv'],
  cloudflare: ['tokenEnv'],
  dnsimple: ['tokenEnv'],
}

const checkDnslink: Check<ResolvedDnslinkName> = (v, p) => {
  const n = object({
    type: string,
    provider: oneOf(DNSLINK_PROVIDERS),
    domain: nonEmptyString,
    ipns: optional(nonEmptyString),
    ttl: optional(integer(1, 2_147_483_647)),
    authoritativeServers: optional(arrayOf(nonEmptyString)),
    propagationTimeout: optional(duration),
    server: optional(nonEmptyString),
    zone: optional(nonEmptyString),
    keyName: optional(nonEmptyString),
    keyAlgorithm: optional(oneOf(['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const)),
    secretEnv: optional(envName),
    tokenEnv: optional(envName),
    apiUrl: optional(httpUrl),
    account: optional(nonEmptyString),
  })(v, p)
  for (const key of REQUIRED[n.provider]) {
    if (n[key] === undefined) throw new ValidationError(`${p}.${key}`, `is required for provider '${n.provider}'`)
  }
  const { propagationTimeout, ...rest } = n
  return { ...rest, type: 'dnslink', propagationTimeoutMs: propagationTimeout }
}

/** Validates `names` and applies defaults. */
export const checkNames: Check<ResolvedName[] | undefined> = (v, p) => {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new ValidationError(p, "must be a list such as [{ type: 'ipns' }]")
  return v.map((entry, i) => {
    const at = `${p}[${i}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ValidationError(at, "must be an object such as { type: 'ipns' }")
    refuseSecrets(entry, at)
    const type = (entry as { type?: unknown }).type
    if (type === 'ipns') return checkIpns(entry, at)
    if (type === 'dnslink') return checkDnslink(entry, at)
    throw new ValidationError(`${at}.type`, `must be 'ipns' or 'dnslink', got ${typeof type === 'string' ? `'${type}'` : String(type)}`)
  })
}
