/**
 * The `storacha` target's credentials, as w3cli uses them in CI: an agent's Ed25519
 * private key (`w3 key create`) and a base64 delegation from a space to that agent
 * (`w3 delegation create <agent DID> --can ... --base64`). Both are checked here before
 * anything is sent, so the usual mistakes (a proof made for another key, an expired one,
 * a missing ability) are named precisely. No message here ever quotes either secret.
 */
import type { Capabilities, Delegation } from '@ucanto/interface'
import * as Signer from '@web3-storage/w3up-client/principal/ed25519'
import * as Proof from '@web3-storage/w3up-client/proof'
import { PinUnauthorizedError } from '../errors.ts'

export type AgentSigner = ReturnType<typeof Signer.parse>
export type SpaceDid = `did:key:${string}`

/** What upload needs (w3cli's CI recipe), what the root check, `list` and `unpin` need. */
export const UPLOAD_ABILITIES = ['space/blob/add', 'space/index/add', 'filecoin/offer', 'upload/add', 'upload/get'] as const
export const LIST_ABILITIES = ['upload/list'] as const
export const REMOVE_ABILITIES = ['upload/remove'] as const
const ALL_ABILITIES = [...UPLOAD_ABILITIES, ...LIST_ABILITIES, ...REMOVE_ABILITIES]

/** How messages name the secrets: by their environment variables when the caller says which. */
export interface SecretLabels {
  agentKey: string
  proof: string
}

export function secretLabels(init: { agentKeyEnv?: string; proofEnv?: string }): SecretLabels {
  return {
    agentKey: init.agentKeyEnv === undefined ? 'the agent key' : `the agent key in $${init.agentKeyEnv}`,
    proof: init.proofEnv === undefined ? 'the delegation proof' : `the delegation proof in $${init.proofEnv}`,
  }
}

/** The command that makes a proof this target can use, for messages. */
export function delegationCommand(agent: string): string {
  return `w3 delegation create ${agent} ${ALL_ABILITIES.map((a) => `--can ${a}`).join(' ')} --base64`
}

/** Parses the agent key. The library's own error is dropped: it may quote the input. */
export function parseAgentKey(target: string, key: string, labels: SecretLabels): AgentSigner {
  if (key.trim() === '') throw new PinUnauthorizedError(target, `${labels.agentKey} is empty: set it to the key \`w3 key create\` printed`)
  try {
    return Signer.parse(key.trim())
  } catch {
    throw new PinUnauthorizedError(
      target,
      `${labels.agentKey} is not an Ed25519 private key as \`w3 key create\` prints it (base64, starting with "Mg")`,
    )
  }
}

export interface ParsedProof {
  delegation: Delegation<Capabilities>
  space: SpaceDid
}

const asDate = (seconds: number) => new Date(seconds * 1000).toISOString()

/** Parses the proof and checks what can be checked locally: audience, space, time bounds. */
export async function parseProof(target: string, proof: string, agent: AgentSigner, labels: SecretLabels, now = Date.now()): Promise<ParsedProof> {
  if (proof.trim() === '') throw new PinUnauthorizedError(target, `${labels.proof} is empty: set it to the output of ${delegationCommand(agent.did())}`)
  let delegation: Delegation<Capabilities>
  try {
    delegation = await Proof.parse(proof.trim())
  } catch {
    throw new PinUnauthorizedError(
      target,
      `${labels.proof} is not a base64 delegation as \`w3 delegation create ... --base64\` prints it: ${delegationCommand(agent.did())}`,
    )
  }
  const audience = delegation.audience.did()
  if (audience !== agent.did()) {
    throw new PinUnauthorizedError(
      target,
      `${labels.proof} is delegated to ${audience}, not to this agent (${agent.did()}, the DID of ${labels.agentKey}): ` +
        `make the proof for this agent (${delegationCommand(agent.did())}) or use the key it was made for`,
    )
  }
  const space = delegation.capabilities.map((c) => c.with).find((w): w is SpaceDid => w.startsWith('did:key:'))
  if (space === undefined) {
    throw new PinUnauthorizedError(target, `${labels.proof} grants nothing on a space (did:key:...): delegate from the space to upload to`)
  }
  for (const d of chain(delegation)) {
    if (d.expiration !== undefined && d.expiration !== Number.POSITIVE_INFINITY && d.expiration * 1000 <= now) {
      const which = d === delegation ? labels.proof : `a delegation ${labels.proof} rests on (from ${d.issuer.did()})`
      throw new PinUnauthorizedError(target, `${which} expired on ${asDate(d.expiration)}: create a new one (${delegationCommand(agent.did())})`)
    }
    if (d.notBefore !== undefined && d.notBefore * 1000 > now) {
      throw new PinUnauthorizedError(target, `${labels.proof} is not valid before ${asDate(d.notBefore)}`)
    }
  }
  return { delegation, space }
}

/** The delegation and every delegation it includes as proof, transitively. */
function* chain(delegation: Delegation<Capabilities>): Generator<Delegation<Capabilities>> {
  yield delegation
  for (const p of delegation.proofs) {
    if (typeof p === 'object' && 'capabilities' in p) yield* chain(p as Delegation<Capabilities>)
  }
}

/** UCAN ability matching: `*`, an exact ability, or a `namespace/*` wildcard. */
function grants(can: string, ability: string): boolean {
  return can === '*' || can === ability || (can.endsWith('/*') && ability.startsWith(can.slice(0, -1)))
}

/** Fails naming the abilities `needed` on the space that the proof does not grant. */
export function requireAbilities(target: string, parsed: ParsedProof, needed: readonly string[], agent: string, labels: SecretLabels): void {
  const caps = parsed.delegation.capabilities.filter((c) => c.with === parsed.space || c.with === 'ucan:*')
  const missing = needed.filter((a) => !caps.some((c) => grants(c.can, a)))
  if (missing.length > 0) {
    throw new PinUnauthorizedError(
      target,
      `${labels.proof} does not grant ${missing.join(', ')} on ${parsed.space}: create it with every ability this target uses (${delegationCommand(agent)})`,
    )
  }
}
