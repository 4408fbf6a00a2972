import type { ResolvedTarget } from '../../config/index.ts'
import { UsageError } from '../../errors.ts'
import type { PinAllResult, PinProgressEvents, PinTargetResult } from '../../pin/index.ts'
import type { Command } from '../command.ts'
import { EXIT_FAILURE, EXIT_OK } from '../exit.ts'
import { formatElapsed, type Output } from '../output.ts'
import { currentCids, needsNetwork, openPinners, pinName, selectTargets, siteName } from './pin-targets.ts'
import { parseCidArg } from '../cid.ts'

function targetLine(t: PinTargetResult & { cid: string }, width: number): string {
  const status = t.status === 'pinned' ? 'pinned' : 'FAILED'
  const notes = [
    t.requestid === undefined || t.requestid === t.cid ? undefined : `request ${t.requestid}`,
    t.existing === true ? 'already there' : undefined,
    t.replaced === undefined ? undefined : `replaced ${t.replaced}`,
    t.required ? undefined : 'optional',
  ].filter((n) => n !== undefined)
  const line = `  ${status}  ${t.target.padEnd(width)}  ${formatElapsed(t.timeMs).padStart(8)}${notes.length === 0 ? '' : `  (${notes.join(', ')})`}`
  return t.error === undefined ? line : `${line}\n          ${t.error}`
}

function humanLines(result: PinAllResult): string[] {
  const pinned = result.targets.filter((t) => t.status === 'pinned').length
  const width = Math.max(...result.targets.map((t) => t.target.length))
  const summary = result.ok
    ? `${result.cid} is pinned on ${pinned} of ${result.targets.length} target(s)`
    : `${result.cid} did NOT reach pinned on every required target: no name should move to it`
  return [summary, ...result.targets.map((t) => targetLine({ ...t, cid: result.cid }, width))]
}

function progressDisplay(output: Output): (event: PinProgressEvents) => void {
  return (event) => {
    const { target } = event.detail
    if (event.type === 'pin:status') output.progress(`${target}: ${event.detail.status}${event.detail.requestid === undefined ? '' : ` (${event.detail.requestid})`}`, true)
    else if (event.type === 'pin:retry') output.progress(`${target}: retrying in ${event.detail.delayMs} ms (${event.detail.reason})`, true)
    else if (event.type === 'pin:existing') output.info(`${target}: already pinned there (${event.detail.requestid}), nothing added`)
    else if (event.type === 'pin:replace') output.info(`${target}: replacing ${event.detail.replaces} (${event.detail.replacedCid}), which is not live`)
    else if (event.type === 'pin:delegate' && !event.detail.ok) output.info(`${target}: could not connect to the service's node ${event.detail.address} (${event.detail.error}); it may still reach us`)
  }
}

const LOOPBACK_ADDR = /^\/(ip4\/127\.|ip6\/::1\/)/
const LOOPBACK_HOST = /^(127\.|localhost$|\[::1\]$)/

/** Services on another machine cannot reach a node that listens on loopback only: say so before they time out. */
function warnIfUnreachable(targets: readonly ResolvedTarget[], origins: string[], output: Output): void {
  const remote = targets.filter((t) => t.type === 'pinning-service' && !LOOPBACK_HOST.test(new URL(t.endpoint).hostname))
  if (remote.length === 0 || !origins.every((o) => LOOPBACK_ADDR.test(o))) return
  output.warn(
    `the node listens on loopback only, so ${remote.map((t) => t.name).join(', ')} cannot fetch the site from it: ` +
      'set node.listen (e.g. /ip4/0.0.0.0/tcp/4001) and node.announce (a public address) in the config',
  )
}

export const pinCommand: Command = {
  name: 'pin',
  summary: 'pin a CID to every configured target and wait until each holds it',
  args: 'CID',
  options: {
    target: { type: 'string', short: 't', multiple: true, value: 'NAME', description: 'pin to this target only; default: every target in the config' },
    name: { type: 'string', value: 'SITE', description: "the site's name at the targets (default: the site folder's name)" },
    preview: { type: 'string', value: 'NAME', description: 'pin as the preview NAME (a separate pin, <site>@NAME) instead of production' },
    current: { type: 'string', multiple: true, value: 'CID', description: "the CID the site's names point at now: its pin is never replaced" },
    commit: { type: 'string', value: 'SHA', description: 'the commit the site was built from, stored with the pin' },
    branch: { type: 'string', value: 'NAME', description: 'the branch the site was built from, stored with the pin' },
  },
  details: `
Pins the DAG to every target of the config at once and waits until each reports
'pinned' or 'failed' (or its timeout). Pinning services fetch the blocks from this
machine's embedded node, which stays online until every pin is settled: its addresses
(node.listen, node.announce) must be reachable from the service. Tokens come from the
environment variables the config names (tokenEnv). Re-running adds nothing; a new
production version replaces an earlier one that is not live (--current says which
CID is live; without it, no pinned version is replaced and 'prune' tidies up).
Exits 1 if a required target did not reach 'pinned'.`,
  async run({ values, positionals, config, output, signal }) {
    if (positionals.length > 1) throw new UsageError(`pin takes one CID, got ${positionals.length}`)
    const cid = parseCidArg(positionals[0], 'CID', 'ipfs-publish pin bafy...')
    const cfg = await config()
    const targets = selectTargets(cfg, values)
    const site = siteName(cfg, values)
    const preview = typeof values.preview === 'string' ? values.preview : undefined
    const name = pinName(site, preview)
    const { openNode } = await import('../../node/index.ts')
    const online = needsNetwork(targets)
    const node = await openNode(cfg.store, { offline: !online, listen: cfg.node.listen, announce: cfg.node.announce, bootstrap: cfg.node.bootstrap, signal })
    try {
      const pinners = await openPinners(targets, node, cfg.store)
      if (!(await node.helia.blockstore.has(cid))) output.warn(`${cid} is not in the store (${cfg.store}): targets cannot fetch it from this node; pack the site first`)
      const origins = online ? node.addresses().map(String) : []
      warnIfUnreachable(targets, origins, output)
      const { pinAll } = await import('../../pin/index.ts')
      const meta = {
        site,
        kind: preview === undefined ? ('production' as const) : ('preview' as const),
        ...(preview === undefined ? {} : { preview }),
        ...(typeof values.commit === 'string' ? { commit: values.commit } : {}),
        ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
      }
      const live = currentCids(values)
      const request = { cid, name, meta, origins, ...(live === undefined ? {} : { live }) }
      const result = await pinAll(pinners, request, { signal, onProgress: progressDisplay(output) })
      const json = {
        cid: result.cid,
        targets: result.targets.map(({ target, status, requestid, error, code, timeMs, required, existing, replaced }) => ({
          name: target,
          status,
          ...(requestid === undefined ? {} : { requestid }),
          ...(error === undefined ? {} : { error, code }),
          timeMs,
          required,
          ...(existing === undefined ? {} : { existing }),
          ...(replaced === undefined ? {} : { replaced }),
        })),
      }
      output.result(json, humanLines(result))
      return result.ok ? EXIT_OK : EXIT_FAILURE
    } finally {
      await node.stop()
    }
  },
}
