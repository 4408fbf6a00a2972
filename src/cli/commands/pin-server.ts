import { join } from 'node:path'
import {
  DEFAULT_PIN_SERVER_HOST,
  DEFAULT_PIN_SERVER_PORT,
  PIN_SERVER_DIR,
  PIN_SERVER_FETCH_TIMEOUT_MS,
  PIN_SERVER_MAX_CONCURRENT_FETCHES,
  PIN_SERVER_MIN_TOKEN_LENGTH,
} from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { PinServerProgressEvents } from '../../events.ts'
import type { Command, ParsedValues } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { EXIT_OK } from '../exit.ts'
import type { Output } from '../output.ts'

/** Comma-separated access tokens, for containers and CI where a file is awkward. */
const TOKENS_ENV = 'IPFS_PUBLISH_PIN_SERVER_TOKENS'

function integerOption(value: ParsedValues[string], option: string, min: number, max: number): number | undefined {
  if (typeof value !== 'string') return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${option}: expected an integer from ${min} to ${max}, got '${value}'`)
  return n
}

/** One line per status change on stderr. */
function progressDisplay(output: Output): (event: PinServerProgressEvents) => void {
  return (event) => {
    switch (event.type) {
      case 'pin-server:status': {
        const { requestid, cid, name, status, details } = event.detail
        return output.info(`${requestid} ${status}: ${cid}${name === undefined ? '' : ` (${name})`}${details === undefined ? '' : `: ${details}`}`)
      }
      case 'pin-server:origin':
        if (!event.detail.ok) output.info(`${event.detail.requestid} origin ${event.detail.address} could not be dialled: ${event.detail.message}`)
        return
      case 'pin-server:removed':
        return output.info(`${event.detail.requestid} removed (${event.detail.reason}): ${event.detail.cid}; its blocks stay until 'ipfs-publish gc'`)
      case 'pin-server:resumed':
        return output.info(`resuming ${event.detail.pins} unfinished pin${event.detail.pins === 1 ? '' : 's'}`)
      case 'pin-server:error':
        return output.warn(`pin server: ${event.detail.method} ${event.detail.path}: ${event.detail.message}`)
    }
  }
}

async function loadTokens(values: ParsedValues, output: Output): Promise<string[]> {
  const { parseTokens, readTokenFile } = await import('../../pin/server/tokens.ts')
  const tokens = typeof values['token-file'] === 'string' ? await readTokenFile(values['token-file']) : []
  const env = process.env[TOKENS_ENV]
  if (env !== undefined) tokens.push(...parseTokens(env.split(','), TOKENS_ENV))
  if (tokens.length === 0) {
    throw new UsageError(`pin-server needs at least one access token: --token-file FILE (one per line, chmod 600) or ${TOKENS_ENV}=token1,token2`)
  }
  const short = tokens.filter((t) => t.length < PIN_SERVER_MIN_TOKEN_LENGTH).length
  if (short > 0) output.warn(`${short} access token(s) are shorter than ${PIN_SERVER_MIN_TOKEN_LENGTH} characters and easy to guess; use e.g. 'openssl rand -hex 32'`)
  return [...new Set(tokens)]
}

export const pinServerCommand: Command = {
  name: 'pin-server',
  summary: 'run a Pinning Service API endpoint whose node fetches each pinned site from its origins',
  options: {
    port: { type: 'string', value: 'N', description: `HTTP port to listen on (default ${DEFAULT_PIN_SERVER_PORT}; 0 picks a free one)` },
    host: { type: 'string', value: 'H', description: `address to listen on (default ${DEFAULT_PIN_SERVER_HOST}: this machine only)` },
    'token-file': { type: 'string', value: 'FILE', description: `access tokens, one per line; the file must be chmod 600 (or set ${TOKENS_ENV})` },
    'fetch-timeout': { type: 'string', value: 'DURATION', description: `a pin whose DAG has not arrived after this long fails (default ${PIN_SERVER_FETCH_TIMEOUT_MS / 60_000}m)` },
    'max-fetches': { type: 'string', value: 'N', description: `pins fetched at once; the others wait queued (default ${PIN_SERVER_MAX_CONCURRENT_FETCHES})` },
    'gateway-port': { type: 'string', value: 'N', description: 'also serve a read-only gateway of what this node holds on this port, on --host (0 picks a free one)' },
  },
  details: `
Serves the IPFS Pinning Service API v1.0.0 (GET/POST /pins, GET/POST/DELETE
/pins/{requestid}) over the embedded node of the config's store. Each access token is an
account that sees only its own pins. A pin request answers 'queued' at once; the node
then dials the request's origins and fetches the whole DAG over Bitswap ('pinning'),
and the pin ends 'pinned', or 'failed' with the reason in info.status_details. The
node's addresses (the config's node.listen and node.announce) are returned as
'delegates'; to let publishers elsewhere reach it, listen on a public address, e.g.
node.listen: ["/ip4/0.0.0.0/tcp/4001"]. Pins and unfinished requests survive a restart
(<store>/${PIN_SERVER_DIR}/). Tokens travel in clear over HTTP: beyond this machine, put a
TLS reverse proxy in front. With --gateway-port, the node's blocks are also served as a
path and trustless gateway (/ipfs/<cid>, ?format=car|raw) that never fetches from peers:
name it as the target's 'gateway' and deploy verifies through it, proving this service
can hand back the whole site. With --json, one line {"url", "peerId", "addresses"} (plus
"gateway") is printed on stdout when the server is ready. Ctrl+C stops the server and
the node.`,
  async run({ values, config, output, signal }) {
    const port = integerOption(values.port, '--port', 0, 65535) ?? DEFAULT_PIN_SERVER_PORT
    const host = typeof values.host === 'string' ? values.host : DEFAULT_PIN_SERVER_HOST
    const fetchTimeoutMs = typeof values['fetch-timeout'] === 'string' ? parseDuration(values['fetch-timeout'], '--fetch-timeout') : undefined
    const maxConcurrentFetches = integerOption(values['max-fetches'], '--max-fetches', 1, 1000)
    const gatewayPort = integerOption(values['gateway-port'], '--gateway-port', 0, 65535)
    const tokens = await loadTokens(values, output)
    const cfg = await config()
    // Loaded on use so that --help and other commands start without Helia.
    const { openNode } = await import('../../node/index.ts')
    const { createPinServer } = await import('../../pin/server/index.ts')
    const node = await openNode(cfg.store, { listen: cfg.node.listen, announce: cfg.node.announce, bootstrap: cfg.node.bootstrap, signal })
    try {
      const server = createPinServer(
        { node },
        { tokens, dir: join(cfg.store, PIN_SERVER_DIR), host, port, fetchTimeoutMs, maxConcurrentFetches, onProgress: progressDisplay(output) },
      )
      const address = await server.start()
      const { createGateway } = await import('../../gateway/index.ts')
      const gateway = gatewayPort === undefined ? undefined : createGateway({ helia: node.helia }, { host, port: gatewayPort, offline: true })
      try {
        const gatewayUrl = (await gateway?.start())?.url
        output.jsonLine({ url: address.url, peerId: address.peerId, addresses: address.addresses, ...(gatewayUrl === undefined ? {} : { gateway: gatewayUrl }) })
        output.info(`pinning service API on ${address.url}/pins (${tokens.length} access token${tokens.length === 1 ? '' : 's'}), store ${cfg.store}`)
        if (gatewayUrl !== undefined) output.info(`gateway on ${gatewayUrl} (what this node holds, never fetched from peers)`)
        output.info(`node ${address.peerId}, delegates:`)
        for (const a of address.addresses) output.info(`  ${a}`)
        if (!/^(127\.|::1$|localhost$)/.test(host)) output.warn(`listening on ${host}: access tokens travel in clear over HTTP; put a TLS reverse proxy in front`)
        output.info('press Ctrl+C to stop')
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      } finally {
        await gateway?.stop()
        await server.stop()
      }
    } finally {
      await node.stop()
    }
    output.info('pin server stopped')
    return EXIT_OK
  },
}
