/** The `storacha` target's options, their defaults and their checks. */
import {
  PIN_TIMEOUT_MS,
  STORACHA_HOSTED_SERVICE_DID,
  STORACHA_HOSTED_SERVICE_URL,
  STORACHA_LIST_PAGE_SIZE,
  STORACHA_MIN_SHARD_SIZE,
  STORACHA_SHARD_SIZE,
} from '../constants.ts'
import { PinError } from '../errors.ts'
import { secretLabels, type SecretLabels } from './storacha-auth.ts'
import type { ServiceEndpoint } from './storacha-session.ts'

export interface StorachaInit {
  /** The target's name in the config and in output. */
  name: string
  /** A required target must reach `pinned` before any name moves. @default true */
  required?: boolean
  /** The agent's Ed25519 private key, as `w3 key create` prints it. A secret: read from the environment by the CLI. */
  agentKey: string
  /** The base64 delegation from the space to the agent (`w3 delegation create <agent DID> ... --base64`). A secret too. */
  proof: string
  /** The environment variable `agentKey` came from, named in messages (never its value). */
  agentKeyEnv?: string
  /** The environment variable `proof` came from, named in messages. */
  proofEnv?: string
  /**
   * The w3up upload service's URL (UCAN over HTTP, `POST /`).
   * @default 'https://up.web3.storage' (Storacha's hosted service, which takes no writes since 2026)
   */
  serviceUrl?: string
  /**
   * The service's DID, which invocations are addressed to.
   * @default `did:web:<host of serviceUrl>`, or 'did:web:web3.storage' for the hosted service
   */
  serviceDid?: string
  /**
   * Where receipts are read (`<receiptsUrl><task CID>`).
   * @default '/receipt/' on the service's origin
   */
  receiptsUrl?: string
  /**
   * Bytes per CAR shard; a block larger than this cannot be uploaded.
   * @default STORACHA_SHARD_SIZE (127 MiB, the client's own default)
   */
  shardSize?: number
  /**
   * How long one pin, list or unpin may take in all.
   * @default PIN_TIMEOUT_MS (10 minutes)
   */
  timeoutMs?: number
}

export interface NormalizedStorachaInit {
  name: string
  required: boolean
  service: ServiceEndpoint
  hosted: boolean
  shardSize: number
  timeoutMs: number
  listPageSize: number
  labels: SecretLabels
}

function httpUrl(name: string, option: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new PinError(name, `\`${option}\` must be an http(s) URL, got '${value}'`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PinError(name, `\`${option}\` must be an http(s) URL, got '${value}'`)
  if (url.username !== '' || url.password !== '') throw new PinError(name, `\`${option}\` must not carry credentials`)
  return url
}

export function normalizeStorachaInit(init: StorachaInit): NormalizedStorachaInit {
  const { name } = init
  const hosted = init.serviceUrl === undefined
  const url = httpUrl(name, 'serviceUrl', init.serviceUrl ?? STORACHA_HOSTED_SERVICE_URL)
  const did = init.serviceDid ?? (hosted ? STORACHA_HOSTED_SERVICE_DID : `did:web:${url.hostname}`)
  if (!/^did:[a-z0-9]+:.+/.test(did)) throw new PinError(name, `\`serviceDid\` must be a DID such as did:web:up.example.org, got '${did}'`)
  const receiptsUrl = httpUrl(name, 'receiptsUrl', init.receiptsUrl ?? new URL('/receipt/', url).href)
  // The task CID is appended: without the trailing slash it would replace the last segment.
  if (!receiptsUrl.pathname.endsWith('/')) receiptsUrl.pathname += '/'
  const shardSize = init.shardSize ?? STORACHA_SHARD_SIZE
  if (!Number.isInteger(shardSize) || shardSize < STORACHA_MIN_SHARD_SIZE) {
    throw new PinError(name, `\`shardSize\` must be a whole number of bytes from ${STORACHA_MIN_SHARD_SIZE}, got ${shardSize}`)
  }
  const timeoutMs = init.timeoutMs ?? PIN_TIMEOUT_MS
  if (!(timeoutMs > 0)) throw new PinError(name, `\`timeoutMs\` must be more than 0, got ${timeoutMs}`)
  return {
    name,
    required: init.required ?? true,
    service: { url, did, receiptsUrl },
    hosted,
    shardSize,
    timeoutMs,
    listPageSize: STORACHA_LIST_PAGE_SIZE,
    labels: secretLabels(init),
  }
}
