import { PRUNE_KEEP_DEFAULT, PRUNE_PREVIEW_MAX_AGE_MS } from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { PruneProgressEvents, PruneResult, RemotePin } from '../../pin/index.ts'
import type { Command } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { EXIT_FAILURE, EXIT_OK } from '../exit.ts'
import type { Output } from '../output.ts'
import { currentCids, openPinners, selectTargets, siteName } from './pin-targets.ts'

function pinJson(pin: RemotePin): { requestid: string; cid: string; name: string | undefined; kind: string | undefined; status: string; created: string } {
  return { requestid: pin.requestid, cid: pin.cid, name: pin.name, kind: pin.meta.kind, status: pin.status, created: pin.created.toISOString() }
}

function humanLines(result: PruneResult): string[] {
  const verb = result.dryRun ? 'would remove' : 'removed'
  const lines = [`prune ${result.site}${result.dryRun ? ' (dry run: nothing removed)' : ''}`]
  for (const t of result.targets) {
    lines.push(`  ${t.target}: ${verb} ${t.removed.length}, keeping ${t.kept.length}`)
    for (const p of t.removed) lines.push(`    - ${p.cid}  ${p.name ?? '-'}  ${p.meta.kind ?? '?'}  ${p.created.toISOString()}`)
    if (t.error !== undefined) lines.push(`    FAILED: ${t.error}`)
  }
  return lines
}

function progressDisplay(output: Output): (event: PruneProgressEvents) => void {
  return (event) => {
    if (event.type === 'prune:list') output.progress(`${event.detail.target}: ${event.detail.pins} pin(s) of the site`, true)
  }
}

function keepOption(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--keep: expected a whole number of at least 1 (the current deploy is always kept), got '${value}'`)
  return Number(value)
}

export const pruneCommand: Command = {
  name: 'prune',
  summary: "remove old deploys' pins at each target, never the current one",
  options: {
    keep: { type: 'string', value: 'N', description: `production pins to keep per target, newest first (default ${PRUNE_KEEP_DEFAULT})` },
    'previews-older-than': { type: 'string', value: 'DURATION', description: `remove previews older than this, e.g. 14d (default ${PRUNE_PREVIEW_MAX_AGE_MS / 86_400_000}d)` },
    current: { type: 'string', multiple: true, value: 'CID', description: "the CID the site's names point at: never removed" },
    'dry-run': { type: 'boolean', short: 'n', description: 'list what would be removed, remove nothing' },
    target: { type: 'string', short: 't', multiple: true, value: 'NAME', description: 'prune this target only; default: every target' },
    name: { type: 'string', value: 'SITE', description: "the site's name at the targets (default: the site folder's name)" },
  },
  details: `
Lists the site's pins at each target (only pins whose metadata names the site) and
removes production pins beyond the newest N and previews older than the duration. The
newest production pin, the newest one that reached 'pinned', and every pin of a
--current CID are always kept. The embedded node's blocks stay until 'ipfs-publish gc'.
Exits 1 if a target could not be pruned.`,
  async run({ values, config, output, signal }) {
    const cfg = await config()
    const targets = selectTargets(cfg, values)
    const site = siteName(cfg, values)
    const keep = keepOption(values.keep)
    const age = values['previews-older-than']
    const previewsOlderThanMs = typeof age === 'string' ? parseDuration(age, '--previews-older-than') : undefined
    const current = currentCids(values)
    const dryRun = values['dry-run'] === true
    const local = targets.some((t) => t.type === 'local')
    // Listing and removing are HTTP calls for remote targets; only the local one needs the store.
    const { openNode } = await import('../../node/index.ts')
    const node = local ? await openNode(cfg.store, { offline: true, signal }) : undefined
    try {
      const pinners = await openPinners(targets, node, cfg.store)
      const { prune } = await import('../../pin/index.ts')
      const result = await prune(pinners, {
        site,
        dryRun,
        signal,
        onProgress: progressDisplay(output),
        ...(keep === undefined ? {} : { keep }),
        ...(previewsOlderThanMs === undefined ? {} : { previewsOlderThanMs }),
        ...(current === undefined ? {} : { current }),
      })
      const json = {
        site: result.site,
        dryRun: result.dryRun,
        targets: result.targets.map((t) => ({
          name: t.target,
          removed: t.removed.map(pinJson),
          kept: t.kept.map(pinJson),
          ...(t.error === undefined ? {} : { error: t.error, code: t.code }),
        })),
      }
      output.result(json, humanLines(result))
      return result.ok ? EXIT_OK : EXIT_FAILURE
    } finally {
      await node?.stop()
    }
  },
}
