import { UsageError } from '../../errors.ts'
import type { VerifyProgressEvents } from '../../events.ts'
import type { GatewayVerifyResult, VerifyResult } from '../../gateway/verify.ts'
import type { Command } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { EXIT_FAILURE, EXIT_OK } from '../exit.ts'
import { formatBytes, type Output } from '../output.ts'

/** How many CIDs of a list the human output shows before "and N more". */
const LISTED_CIDS = 5

function listCids(label: string, cids: string[]): string[] {
  if (cids.length === 0) return []
  const more = cids.length > LISTED_CIDS ? ` and ${cids.length - LISTED_CIDS} more` : ''
  return [`          ${label} (${cids.length}): ${cids.slice(0, LISTED_CIDS).join(', ')}${more}`]
}

function gatewayLines(g: GatewayVerifyResult): string[] {
  const status = g.ok ? 'ok    ' : 'FAILED'
  const extra = g.extra === 0 ? '' : `, ${g.extra} unrelated block(s) ignored`
  const completed = g.carMissing === undefined ? '' : `, ${g.carMissing.length} block(s) the CAR lacked asked for raw`
  return [
    `  ${status}  ${g.url}  ${g.blocks} blocks, ${formatBytes(g.bytes)}, ${g.timeMs} ms (${g.method}${completed}${extra})`,
    ...(g.error === undefined ? [] : [`          ${g.error}`]),
    ...listCids('missing', g.missing),
    ...listCids('bad', g.bad),
    ...listCids('unverifiable', g.unverifiable),
  ]
}

function humanLines(result: VerifyResult): string[] {
  const failed = result.gateways.filter((g) => !g.ok).length
  const summary =
    failed === 0
      ? `${result.cid} is retrievable whole from ${result.gateways.length === 1 ? 'the gateway' : `all ${result.gateways.length} gateways`}`
      : `${result.cid} FAILED on ${failed} of ${result.gateways.length} gateway(s)`
  return [summary, ...result.gateways.flatMap(gatewayLines)]
}

/** One progress line for all gateways, since they run at once. */
function progressDisplay(output: Output): (event: VerifyProgressEvents) => void {
  const counts = new Map<string, string>()
  const show = (force: boolean): void =>
    output.progress(`verifying: ${[...counts].map(([g, c]) => `${g} ${c}`).join('; ')}`, force)
  return (event) => {
    const { gateway } = event.detail
    if (event.type === 'verify:start') counts.set(gateway, 'connecting')
    else if (event.type === 'verify:progress') counts.set(gateway, `${event.detail.blocks} blocks, ${formatBytes(event.detail.bytes)}`)
    else if (event.type === 'verify:retry') counts.set(gateway, `retrying in ${event.detail.delayMs} ms (${event.detail.reason})`)
    else if (event.type === 'verify:fallback') output.info(`${gateway}: no CAR (${event.detail.reason}); fetching raw blocks one by one`)
    else if (event.type === 'verify:done') counts.delete(gateway)
    if (counts.size > 0) show(event.type !== 'verify:progress')
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'fetch a DAG back from gateways and check every block and link',
  args: 'CID',
  options: {
    gateway: { type: 'string', short: 'g', multiple: true, value: 'URL', description: 'a trustless gateway to fetch from, e.g. https://trustless-gateway.link' },
    'request-timeout': { type: 'string', value: 'DURATION', description: 'give up on a request after this long without a response or data (default 30s)' },
    concurrency: { type: 'string', value: 'N', description: 'raw block requests in flight per gateway (default 8)' },
  },
  details: `
Each gateway is asked for the whole DAG as a CAR (?format=car&dag-scope=all); one that
cannot send a CAR is walked block by block (?format=raw). Every block is hashed against
its CID and every link followed, so nothing the gateway says is taken on trust. Blocks a
CAR lacked are asked for raw; a CAR that is truncated, names another root or carries a
block with wrong bytes fails the gateway all the same. Exits 1 if any gateway failed.
--timeout bounds the whole run; --request-timeout each request.`,
  async run({ values, positionals, output, signal }) {
    const [cid, ...rest] = positionals
    if (cid === undefined || rest.length > 0) {
      throw new UsageError(`verify takes exactly one CID, got ${positionals.length}. Example: ipfs-publish verify bafy... --gateway https://trustless-gateway.link`)
    }
    const gateways = Array.isArray(values.gateway) ? values.gateway : []
    if (gateways.length === 0) {
      throw new UsageError('verify needs at least one --gateway URL to fetch from, e.g. --gateway https://trustless-gateway.link')
    }
    const timeout = values['request-timeout']
    const timeoutMs = typeof timeout === 'string' ? parseDuration(timeout, '--request-timeout') : undefined
    if (timeoutMs === 0) throw new UsageError('--request-timeout: must be longer than 0')
    const concurrency = values.concurrency
    if (typeof concurrency === 'string' && !/^[1-9]\d*$/.test(concurrency)) {
      throw new UsageError(`--concurrency: expected a positive whole number, got '${concurrency}'`)
    }
    // Loaded on use so that --help and other commands start without the IPLD codecs.
    const { verify } = await import('../../gateway/verify.ts')
    const result = await verify(cid, {
      gateways,
      timeoutMs,
      concurrency: typeof concurrency === 'string' ? Number(concurrency) : undefined,
      signal,
      onProgress: progressDisplay(output),
    })
    output.result(result, humanLines(result))
    return result.ok ? EXIT_OK : EXIT_FAILURE
  },
}
