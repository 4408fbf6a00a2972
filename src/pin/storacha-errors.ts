/**
 * A failure of the w3up client or service in words that say what to fix. The client wraps
 * the service's answer as `cause` ("failed upload/add invocation" ← `{ name: 'Unauthorized',
 * message }`), so the whole cause chain is read. Every message is scrubbed of the agent key
 * and the proof, whatever a layer below quoted.
 */
import { PIN_ERROR_DETAILS_MAX_CHARS } from '../constants.ts'
import { PinError, PinSpaceNotProvisionedError, PinUnauthorizedError } from '../errors.ts'
import type { SecretLabels } from './storacha-auth.ts'
import { TransportError } from './storacha-connection.ts'

export interface FailureContext {
  target: string
  serviceUrl: string
  serviceDid: string
  /** True when `serviceUrl` was not configured: the hosted service, which takes no writes since 2026. */
  hosted: boolean
  space: string | undefined
  labels: SecretLabels
  secrets: string[]
}

/** Service errors that mean the proof (or its chain) was not accepted. */
const REFUSALS = new Set(['Unauthorized', 'InvalidClaim', 'Expired', 'NotValidBefore', 'Revoked', 'InvalidSignature', 'UnavailableProof'])

const HOSTED_HINT = ": Storacha's hosted service stopped accepting writes in 2026; set `serviceUrl` (and `serviceDid`) to a self-hosted w3up upload service"

interface Link {
  name: string
  message: string
  error: unknown
}

/** The error and its causes, outermost first. The service's errors are plain objects, not Errors. */
function causes(err: unknown): Link[] {
  const out: Link[] = []
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    const o = e as { name?: unknown; message?: unknown; cause?: unknown }
    out.push({ name: typeof o.name === 'string' ? o.name : '', message: typeof o.message === 'string' ? o.message : String(e), error: e })
    e = typeof e === 'object' ? o.cause : undefined
  }
  return out
}

/** First line, cut to a readable length: ucanto's refusals run to dozens of lines. */
function short(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim()
  return line.length > PIN_ERROR_DETAILS_MAX_CHARS ? `${line.slice(0, PIN_ERROR_DETAILS_MAX_CHARS - 3)}...` : line
}

export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) if (secret.trim() !== '') out = out.split(secret.trim()).join('***')
  return out
}

/** The PinError for `err`; a PinError from our own checks passes through (scrubbed all the same). */
export function failureFor(err: unknown, ctx: FailureContext): PinError {
  const error = classify(err, ctx)
  error.message = redact(error.message, ctx.secrets)
  return error
}

function classify(err: unknown, ctx: FailureContext): PinError {
  if (err instanceof PinError) return err
  const chain = causes(err)
  const service = `the upload service ${ctx.serviceUrl}`
  const transport = chain.find((c) => c.error instanceof TransportError)?.error as TransportError | undefined
  if (transport !== undefined) {
    const hint = ctx.hosted ? HOSTED_HINT : ''
    if (transport.status === undefined) {
      return new PinError(ctx.target, `cannot reach ${service}: ${short(transport.message)}${hint || ': check `serviceUrl` and that the service is up'}`, { cause: err })
    }
    if (transport.status === 401 || transport.status === 403) {
      return new PinUnauthorizedError(ctx.target, `${service} refused the request (${short(transport.message)})${hint}`, { cause: err })
    }
    return new PinError(ctx.target, `${service} failed: ${short(transport.message)}${hint || ': try again later'}`, { cause: err })
  }
  const space = ctx.space ?? 'the space'
  const named = (names: Set<string>) => chain.find((c) => names.has(c.name))
  if (chain.some((c) => c.name === 'InsufficientStorage' || /has no storage provider/.test(c.message))) {
    return new PinSpaceNotProvisionedError(
      ctx.target,
      `${space} is not provisioned with ${ctx.serviceDid}, so it cannot store anything: its owner provisions it once ` +
        `(\`w3 login\`, then \`w3 space provision ${space}\`), then deploy again`,
      { cause: err },
    )
  }
  const audience = chain.find((c) => c.name === 'InvalidAudience')
  if (audience !== undefined) {
    return new PinError(ctx.target, `${service} is not ${ctx.serviceDid} (${short(audience.message)}): set \`serviceDid\` to the service's DID`, { cause: err })
  }
  const refusal = named(REFUSALS)
  if (refusal !== undefined) {
    return new PinUnauthorizedError(
      ctx.target,
      `${ctx.serviceDid} refused ${ctx.labels.proof} for ${space} (${refusal.name}: ${short(refusal.message)}): ` +
        `it must come from the space's owner, for this agent, and be unexpired and unrevoked${ctx.hosted ? HOSTED_HINT : ''}`,
      { cause: err },
    )
  }
  const tooBig = chain.find((c) => /exceed shard size/.test(c.message))
  if (tooBig !== undefined) {
    return new PinError(ctx.target, `a block of the DAG does not fit in one shard (${short(tooBig.message)}): raise \`shardSize\``, { cause: err })
  }
  const words = chain.map((c) => short(c.message)).filter((m, i, all) => m !== '' && all.indexOf(m) === i)
  return new PinError(ctx.target, `${service} failed: ${words.join(': ')}${ctx.hosted ? HOSTED_HINT : ''}`, { cause: err })
}
