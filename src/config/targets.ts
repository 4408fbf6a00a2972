/**
 * The `targets` section of the publish config: where a site is pinned. A list of
 * entries discriminated by `type`; a new kind of target adds its interface to
 * `TargetConfig`, its resolved form to `ResolvedTarget`, and its check to `TARGET_CHECKS`.
 * Secrets are never in the config: an entry names the environment variable that holds one.
 */
import { DEFAULT_PIN_TARGETS, PIN_TIMEOUT_MS, STORACHA_MIN_SHARD_SIZE, STORACHA_SHARD_SIZE } from '../constants.ts'
import { boolean, type Check, duration, envName, httpUrl, integer, nonEmptyString, object, optional, ValidationError } from './validate.ts'

interface TargetConfigBase {
  /** How the target is called in output and in `--target NAME`: letters, digits, `.`, `_`, `-`. */
  name: string
  /**
   * A required target must reach `pinned` or the run fails and no name moves; an optional
   * one is reported but does not stop the deploy.
   * @default true
   */
  required?: boolean
  /**
   * A trustless gateway that serves what this target pins (the service's own gateway),
   * e.g. `https://gateway.example.org`. When the config has no `gateways`, `deploy`
   * verifies through the required targets' gateways and prints their URLs. Not for `local`.
   */
  gateway?: string
}

/** The embedded node (`.ipfs-publish/`). */
export interface LocalTargetConfig extends TargetConfigBase {
  type: 'local'
}

/** Any IPFS Pinning Service API v1.0.0 endpoint: Pinata, Filebase, IPFS Cluster, `ipfs-publish pin-server`. */
export interface PinningServiceTargetConfig extends TargetConfigBase {
  type: 'pinning-service'
  /** The API's base URL, without `/pins`, e.g. `https://api.pinata.cloud/psa`. */
  endpoint: string
  /** The environment variable that holds the access token, e.g. `PINATA_TOKEN`. Never the token itself. */
  tokenEnv: string
  /**
   * How long the service may take to reach `pinned` (it fetches the DAG from this node), e.g. `10m`.
   * @default '10m'
   */
  timeout?: string
}

/**
 * A w3up upload service, authorised as w3cli is in CI: an agent key and a delegation proof.
 * Storacha's hosted service stopped accepting writes in 2026: point `serviceUrl` at a
 * self-hosted w3up upload service.
 */
export interface StorachaTargetConfig extends TargetConfigBase {
  type: 'storacha'
  /** The environment variable that holds the agent's private key (`w3 key create`), e.g. `W3_PRINCIPAL`. Never the key itself. */
  agentKeyEnv: string
  /** The environment variable that holds the base64 delegation proof (`w3 delegation create <agent DID> ... --base64`), e.g. `W3_PROOF`. */
  proofEnv: string
  /**
   * The upload service's URL.
   * @default 'https://up.web3.storage' (Storacha's hosted service, which takes no writes since 2026)
   */
  serviceUrl?: string
  /**
   * The service's DID.
   * @default `did:web:<host of serviceUrl>`
   */
  serviceDid?: string
  /**
   * Where the service's receipts are read.
   * @default '/receipt/' on the service's origin
   */
  receiptsUrl?: string
  /**
   * Bytes per CAR shard uploaded.
   * @default 133169152 (127 MiB, the w3up client's default)
   */
  shardSize?: number
  /**
   * How long a pin may take in all, e.g. `10m`.
   * @default '10m'
   */
  timeout?: string
}

export type TargetConfig = LocalTargetConfig | PinningServiceTargetConfig | StorachaTargetConfig

export interface ResolvedLocalTarget {
  type: 'local'
  name: string
  required: boolean
}

export interface ResolvedPinningServiceTarget {
  type: 'pinning-service'
  name: string
  required: boolean
  /** Without a trailing slash. */
  endpoint: string
  tokenEnv: string
  timeoutMs: number
}

export interface ResolvedStorachaTarget {
  type: 'storacha'
  name: string
  required: boolean
  agentKeyEnv: string
  proofEnv: string
  serviceUrl: string | undefined
  serviceDid: string | undefined
  receiptsUrl: string | undefined
  shardSize: number
  timeoutMs: number
}

export type ResolvedTarget = (ResolvedLocalTarget | ResolvedPinningServiceTarget | ResolvedStorachaTarget) & {
  /** The target's own trustless gateway, without a trailing slash. */
  gateway?: string
}

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const targetName: Check<string> = (v, p) => {
  const name = nonEmptyString(v, p)
  if (!TARGET_NAME.test(name)) throw new ValidationError(p, `must be letters, digits, '.', '_' or '-', got '${name}'`)
  return name
}


/** A Pinning Service API base URL: http(s), no credentials in it (they would end up in logs). */
const endpointUrl: Check<string> = (v, p) => {
  const href = httpUrl(v, p)
  const url = new URL(href)
  if (url.username !== '' || url.password !== '' || url.search !== '') {
    throw new ValidationError(p, 'must not carry credentials or a query: put the access token in the variable named by `tokenEnv`')
  }
  return href.replace(/\/+$/, '')
}


/** A DID such as `did:web:up.example.org`. */
const did: Check<string> = (v, p) => {
  const text = nonEmptyString(v, p)
  if (!/^did:[a-z0-9]+:\S+$/.test(text)) throw new ValidationError(p, `must be a DID such as did:web:up.example.org, got '${text}'`)
  return text
}

const base = { name: targetName, type: nonEmptyString, required: optional(boolean), gateway: optional(httpUrl) }

/** One check per `type`; each returns the resolved entry. */
const TARGET_CHECKS: Record<string, Check<ResolvedTarget>> = {
  local: (v, p) => {
    const t = object(base)(v, p)
    return { type: 'local', name: t.name, required: t.required ?? true }
  },
  'pinning-service': (v, p) => {
    if (typeof v === 'object' && v !== null && 'token' in v) {
      throw new ValidationError(`${p}.token`, 'must not be in the config: put the token in an environment variable and name it in `tokenEnv`')
    }
    const t = object({ ...base, endpoint: endpointUrl, tokenEnv: envName, timeout: optional(duration) })(v, p)
    return { type: 'pinning-service', name: t.name, required: t.required ?? true, endpoint: t.endpoint, tokenEnv: t.tokenEnv, timeoutMs: t.timeout ?? PIN_TIMEOUT_MS }
  },
  storacha: (v, p) => {
    for (const [secret, env] of [['agentKey', 'agentKeyEnv'], ['proof', 'proofEnv']] as const) {
      if (typeof v === 'object' && v !== null && secret in v) {
        throw new ValidationError(`${p}.${secret}`, `must not be in the config: put it in an environment variable and name it in \`${env}\``)
      }
    }
    const t = object({
      ...base,
      agentKeyEnv: envName,
      proofEnv: envName,
      serviceUrl: optional(endpointUrl),
      serviceDid: optional(did),
      receiptsUrl: optional(httpUrl),
      shardSize: optional(integer(STORACHA_MIN_SHARD_SIZE)),
      timeout: optional(duration),
    })(v, p)
    return {
      type: 'storacha',
      name: t.name,
      required: t.required ?? true,
      agentKeyEnv: t.agentKeyEnv,
      proofEnv: t.proofEnv,
      serviceUrl: t.serviceUrl,
      serviceDid: t.serviceDid,
      receiptsUrl: t.receiptsUrl,
      shardSize: t.shardSize ?? STORACHA_SHARD_SIZE,
      timeoutMs: t.timeout ?? PIN_TIMEOUT_MS,
    }
  },
}

const checkTarget: Check<ResolvedTarget> = (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(p, 'must be an object such as { name: "local", type: "local" }')
  const type = (v as { type?: unknown }).type
  const check = typeof type === 'string' ? TARGET_CHECKS[type] : undefined
  if (check === undefined) {
    const known = Object.keys(TARGET_CHECKS).map((k) => `'${k}'`).join(', ')
    throw new ValidationError(`${p}.type`, `must be one of ${known}, got ${typeof type === 'string' ? `'${type}'` : String(type)}`)
  }
  const target = check(v, p)
  const gateway = (v as { gateway?: unknown }).gateway
  if (gateway === undefined) return target
  if (target.type === 'local') throw new ValidationError(`${p}.gateway`, 'the embedded node has no gateway to name here: remove it (deploy verifies through a local gateway when nothing else is configured)')
  return { ...target, gateway: httpUrl(gateway, `${p}.gateway`).replace(/\/+$/, '') }
}

/** Validates `targets` (names unique, at least one) and applies defaults. */
export const checkTargets: Check<ResolvedTarget[] | undefined> = (v, p) => {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new ValidationError(p, 'must be a list such as [{ name: "local", type: "local" }]')
  if (v.length === 0) throw new ValidationError(p, 'must list at least one target (leave it out for the embedded node alone)')
  const targets = v.map((t, i) => checkTarget(t, `${p}[${i}]`))
  const seen = new Set<string>()
  targets.forEach((t, i) => {
    if (seen.has(t.name)) throw new ValidationError(`${p}[${i}].name`, `'${t.name}' is used by an earlier target: names must be unique`)
    seen.add(t.name)
  })
  return targets
}

/** `targets` when the config has none. */
export function defaultTargets(): ResolvedTarget[] {
  return DEFAULT_PIN_TARGETS.map((t) => ({ ...t, required: true }))
}
