/**
 * What `deploy` shows: one line per stage and per outcome while it runs, then the summary
 * (CID, size, files, each target with its time, names old → new, URLs, bytes new vs
 * reused). Kept apart from the command so the command stays about wiring.
 */
import type { DeployAllProgressEvents, DeployResult } from '../../deploy/index.ts'
import { formatBytes, formatElapsed, type Output } from '../output.ts'
import { showRenderCache } from './build-display.ts'

export function deployProgress(output: Output): (event: DeployAllProgressEvents) => void {
  return (event) => {
    switch (event.type) {
      case 'deploy:stage':
        if (event.detail.stage !== 'node' && event.detail.stage !== 'record') output.progress(`${event.detail.stage}...`, true)
        return
      case 'deploy:warning':
        return output.warn(event.detail.message)
      case 'build:warning':
        return output.warn(event.detail)
      case 'build:page':
        return output.progress(`rendering ${event.detail.done}/${event.detail.total} pages`)
      case 'build:cache':
        return showRenderCache(output, event.detail)
      case 'pack:progress':
        return output.progress(`packing: ${event.detail.files} files, ${formatBytes(event.detail.bytes)}`)
      case 'deploy:packed':
        return output.info(`${event.detail.source === 'car' ? 'imported' : 'packed'} ${event.detail.cid}: ${event.detail.files} files, ${event.detail.blocks} blocks`)
      case 'pin:status':
        return output.progress(`${event.detail.target}: ${event.detail.status}`, true)
      case 'pin:retry':
        return output.progress(`${event.detail.target}: retrying in ${event.detail.delayMs} ms (${event.detail.reason})`, true)
      case 'pin:incremental': {
        const { target, newBlocks, newBytes, reusedBytes } = event.detail
        return output.info(`${target}: uploading ${formatBytes(newBytes)} (${newBlocks} blocks) new; ${formatBytes(reusedBytes)} already in its previous upload`)
      }
      case 'pin:full':
        return output.info(`${event.detail.target}: uploading the whole site (${event.detail.reason})`)
      case 'pin:done':
        return output.info(`${event.detail.target}: ${event.detail.status === 'pinned' ? 'pinned' : 'FAILED'} in ${formatElapsed(event.detail.timeMs)}`)
      case 'verify:done': {
        const { gateway, ok, blocks, bytes, error } = event.detail
        return output.info(ok ? `verified through ${gateway}: ${blocks} blocks, ${formatBytes(bytes)}` : `verify FAILED through ${gateway}: ${error}`)
      }
      case 'deploy:name':
        return output.info(`${event.detail.name}: ${event.detail.status}${event.detail.error === undefined ? '' : ` (${event.detail.error})`}`)
    }
  }
}

const TARGET_STATUS = { pinned: 'pinned', failed: 'FAILED', skipped: 'skipped', planned: 'would pin' } as const
const NAME_STATUS = { updated: 'moved', unchanged: 'unchanged', failed: 'FAILED', skipped: 'NOT moved', planned: 'would move' } as const

export function deployLines(result: DeployResult): string[] {
  const width = Math.max(0, ...result.targets.map((t) => t.name.length))
  const headline = result.dryRun
    ? `dry run: would deploy ${result.cid} (nothing was pinned, no name moved)`
    : result.ok
      ? `deployed ${result.cid}${result.kind === 'preview' ? ` as preview '${result.preview}'` : ''}`
      : `deploy FAILED at ${result.stage ?? 'an unknown stage'}: ${result.error ?? ''}`
  const lines = [
    '',
    headline,
    `  ${result.files} files, ${formatBytes(result.bytes)}; ${result.blocks} blocks, ${formatBytes(result.dagBytes)}`,
    `  new ${formatBytes(result.newBytes)} (${result.newBlocks} blocks), reused ${formatBytes(result.reusedBytes)}${result.previous === undefined ? '' : ` from ${result.previous}`}`,
    'targets:',
    ...result.targets.map((t) => {
      const notes = [t.required ? undefined : 'optional', t.existing === true ? 'already there' : undefined, t.replaced === undefined ? undefined : `replaced ${t.replaced}`].filter(
        (n) => n !== undefined,
      )
      const line = `  ${TARGET_STATUS[t.status].padEnd(9)} ${t.name.padEnd(width)} ${formatElapsed(t.timeMs).padStart(8)}${notes.length === 0 ? '' : `  (${notes.join(', ')})`}`
      return t.error === undefined ? line : `${line}\n            ${t.error}`
    }),
  ]
  if (result.verify !== undefined) lines.push(`verify: ${result.verify.ok ? 'ok' : 'FAILED'}${result.verify.localOnly ? ' (local copy only: no gateways configured)' : ''}`)
  if (result.names.length > 0) {
    lines.push('names:')
    for (const n of result.names) lines.push(`  ${NAME_STATUS[n.status].padEnd(10)} ${n.name}: ${n.previous ?? '(none)'} → ${n.value}${n.error === undefined ? '' : `\n             ${n.error}`}`)
  }
  lines.push('urls:', ...result.urls.gateway.map((u) => `  ${u}`), `  ${result.urls.local.subdomain ?? result.urls.local.path} (ipfs-publish serve)`)
  if (result.urls.site !== undefined) lines.push(`  site: ${result.urls.site}`)
  if (result.urls.preview !== undefined) lines.push(`  preview: ${result.urls.preview}`)
  return lines
}
