/**
 * What `pin` and `prune` share: choosing targets with `--target`, the site's pin name,
 * and building the pinners with secrets from the environment (the only place that reads
 * them).
 */
import { basename } from 'node:path'
import type { CID } from 'multiformats/cid'
import type { ResolvedConfig, ResolvedTarget } from '../../config/index.ts'
import { PIN_NAME_MAX_CHARS } from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import type { EmbeddedNode } from '../../node/index.ts'
import type { Pinner } from '../../pin/index.ts'
import type { ParsedValues } from '../command.ts'

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** The configured targets, or those named by `--target` (each must exist). */
export function selectTargets(config: ResolvedConfig, values: ParsedValues): ResolvedTarget[] {
  const wanted = Array.isArray(values.target) ? values.target : []
  if (wanted.length === 0) return config.targets
  const known = config.targets.map((t) => t.name)
  const unknown = wanted.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw new UsageError(`--target: no target named ${unknown.map((n) => `'${n}'`).join(', ')} in the config; the targets are ${known.map((n) => `'${n}'`).join(', ')}`)
  }
  return config.targets.filter((t) => wanted.includes(t.name))
}

/** `--name`, else the site folder's name; checked so that `<site>@<preview>` stays unambiguous. */
export function siteName(config: ResolvedConfig, values: ParsedValues): string {
  const site = typeof values.name === 'string' ? values.name : basename(config.site)
  if (!LABEL.test(site)) throw new UsageError(`--name: use letters, digits, '.', '_' and '-' (no '@'), got '${site}'`)
  return site
}

/** The pin's name: the site for production, `<site>@<preview>` for a preview. */
export function pinName(site: string, preview: string | undefined): string {
  if (preview === undefined) return site
  if (!LABEL.test(preview)) throw new UsageError(`--preview: use letters, digits, '.', '_' and '-', got '${preview}'`)
  const name = `${site}@${preview}`
  if (name.length > PIN_NAME_MAX_CHARS) throw new UsageError(`--preview: the pin name '${name}' is longer than ${PIN_NAME_MAX_CHARS} characters`)
  return name
}

/** Pinning services fetch the DAG from our node's `origins`, so it must be online for them. */
export function needsNetwork(targets: readonly ResolvedTarget[]): boolean {
  return targets.some((t) => t.type === 'pinning-service')
}

/**
 * Builds the pinners; tokens come from this process's environment, by the names in the
 * config. `store` is where targets keep records between runs (storacha's upload indexes).
 */
export async function openPinners(targets: readonly ResolvedTarget[], node: EmbeddedNode | undefined, store: string): Promise<Pinner[]> {
  const { createPinners } = await import('../../pin/targets.ts')
  if (node === undefined) return createPinners(targets, { env: process.env, store })
  // Uploading targets read the packed blocks from the store only: never fetched from peers.
  const blockstore = { get: (cid: CID, options?: AbortOptions) => node.helia.blockstore.get(cid, { ...options, offline: true }) }
  return createPinners(targets, { env: process.env, node, blockstore, store })
}

/** `--current CID` (repeatable): CIDs the site's names point at now. */
export function currentCids(values: ParsedValues): string[] | undefined {
  return Array.isArray(values.current) ? values.current : undefined
}
