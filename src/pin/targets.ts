/**
 * Pinners from the config's `targets`: one factory per `type`. A new kind of target adds
 * its entry to `PINNER_FACTORIES` (and its config check to src/config/targets.ts).
 * Secrets come from `components.env`, which the CLI fills from `process.env`: no stage
 * reads the environment itself.
 */
import { join } from 'node:path'
import type { ResolvedTarget } from '../config/targets.ts'
import { STORACHA_RECORD_DIR } from '../constants.ts'
import { ConfigError } from '../errors.ts'
import type { EmbeddedNode } from '../node/index.ts'
import type { BlockReader } from '../pack/walk.ts'
import { createLocalPinner } from './local.ts'
import { createPinningServicePinner } from './pinning-service.ts'
import type { Pinner } from './types.ts'

export interface TargetComponents {
  /** The embedded node: the `local` target pins in it, and remote services fetch from it. */
  node?: Pick<EmbeddedNode, 'pin' | 'unpin' | 'getPin' | 'listPins' | 'dial'> & { readonly libp2p?: unknown }
  /** Where secrets are read from, by the variable names in the config. */
  env: Readonly<Record<string, string | undefined>>
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** Where uploading targets (`storacha`) read the DAG's blocks: the store the site was packed into. Not needed to list or unpin. */
  blockstore?: BlockReader
  /**
   * The store folder (`.ipfs-publish/`). Targets that keep records between runs keep them
   * in a folder of their own there: `storacha` keeps each upload's index in `storacha/`,
   * so the next deploy sends only the blocks that upload lacks.
   */
  store?: string
}

type Factories = { [T in ResolvedTarget['type']]: (target: Extract<ResolvedTarget, { type: T }>, components: TargetComponents) => Pinner }

export const PINNER_FACTORIES: Factories = {
  local: (target, { node }) => {
    if (node === undefined) throw new ConfigError(`target '${target.name}' (local) needs the embedded node, which was not opened`)
    return createLocalPinner({ node }, { name: target.name, required: target.required })
  },
  'pinning-service': (target, { node, env, fetch }) => {
    const token = env[target.tokenEnv]
    // A required target cannot succeed without its token: say so before anything starts.
    // An optional one (e.g. a fork's pull request, which gets no secrets) just fails alone.
    if (target.required && (token === undefined || token === '')) {
      throw new ConfigError(
        `target '${target.name}': the environment variable ${target.tokenEnv} is not set; export the access token for ${target.endpoint} in it, or make the target \`required: false\``,
      )
    }
    const online = node !== undefined && node.libp2p !== undefined
    return createPinningServicePinner(
      {
        ...(fetch === undefined ? {} : { fetch }),
        ...(online ? { dial: (address: string, options: { signal: AbortSignal }) => node.dial(address, options) } : {}),
      },
      { name: target.name, required: target.required, endpoint: target.endpoint, token, tokenEnv: target.tokenEnv, timeoutMs: target.timeoutMs },
    )
  },
  storacha: (target, { env, fetch, blockstore, store }) => {
    const agentKey = env[target.agentKeyEnv] ?? ''
    const proof = env[target.proofEnv] ?? ''
    // As for a pinning service: a required target cannot work without its secrets; an optional one fails alone.
    const unset = [target.agentKeyEnv, target.proofEnv].filter((name) => (env[name] ?? '') === '')
    if (target.required && unset.length > 0) {
      throw new ConfigError(
        `target '${target.name}': the environment variable${unset.length > 1 ? 's' : ''} ${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set; ` +
          `export the agent key (${target.agentKeyEnv}) and the delegation proof (${target.proofEnv}), or make the target \`required: false\``,
      )
    }
    return lazyPinner(target.name, target.required, async () => {
      const { createStorachaPinner } = await import('./storacha.ts')
      return createStorachaPinner(
        {
          ...(blockstore === undefined ? {} : { blockstore }),
          ...(fetch === undefined ? {} : { fetch }),
          ...(store === undefined ? {} : { recordDir: join(store, STORACHA_RECORD_DIR) }),
        },
        {
          name: target.name,
          required: target.required,
          agentKey,
          proof,
          agentKeyEnv: target.agentKeyEnv,
          proofEnv: target.proofEnv,
          ...(target.serviceUrl === undefined ? {} : { serviceUrl: target.serviceUrl }),
          ...(target.serviceDid === undefined ? {} : { serviceDid: target.serviceDid }),
          ...(target.receiptsUrl === undefined ? {} : { receiptsUrl: target.receiptsUrl }),
          shardSize: target.shardSize,
          timeoutMs: target.timeoutMs,
        },
      )
    })
  },
}

/**
 * A pinner whose code loads on first use: the storacha target brings the w3up client,
 * a few hundred milliseconds of imports that a deploy without that target should not pay.
 */
function lazyPinner(name: string, required: boolean, load: () => Promise<Pinner>): Pinner {
  let loaded: Promise<Pinner> | undefined
  const pinner = (): Promise<Pinner> => {
    loaded ??= load()
    return loaded
  }
  return {
    name,
    required,
    pin: async (request, options) => (await pinner()).pin(request, options),
    list: async (filter, options) => (await pinner()).list(filter, options),
    unpin: async (requestid, options) => (await pinner()).unpin(requestid, options),
  }
}

export function createPinner(target: ResolvedTarget, components: TargetComponents): Pinner {
  const factory = PINNER_FACTORIES[target.type] as (t: ResolvedTarget, c: TargetComponents) => Pinner
  return factory(target, components)
}

export function createPinners(targets: readonly ResolvedTarget[], components: TargetComponents): Pinner[] {
  return targets.map((t) => createPinner(t, components))
}
