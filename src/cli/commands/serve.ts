import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT } from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { GatewayProgressEvents } from '../../events.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'

/** How many pinned sites `serve` lists with their URLs. */
const LISTED_PINS = 10

function parsePort(value: string | boolean | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port: expected a port number from 0 to 65535, got '${value}'`)
  return port
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the embedded node’s sites over HTTP (path, subdomain and DNSLink gateway)',
  options: {
    port: { type: 'string', value: 'N', description: `port to listen on (default ${DEFAULT_GATEWAY_PORT}, or the next free one)` },
    host: { type: 'string', value: 'H', description: `address to listen on (default ${DEFAULT_GATEWAY_HOST}: this machine only)` },
  },
  details: `
Serves what the embedded node stores (the config's store folder, default .ipfs-publish/)
and nothing else: content it does not have is answered 502. Open a site at
http://127.0.0.1:<port>/ipfs/<cid>/ (path gateway), http://<cid>.ipfs.localhost:<port>/
(subdomain gateway: each site gets its own origin and its _redirects file applies), or
http://<name>.ipns.localhost:<port>/ for an IPNS name. A request whose Host is a domain
with a DNSLink record is served that domain's site. Trustless clients can ask for
?format=car, ?format=raw and ?format=ipns-record. Ctrl+C stops the gateway and closes the
store.`,
  async run({ values, config, output, signal }) {
    const cfg = await config()
    const requestedPort = parsePort(values.port)
    const host = typeof values.host === 'string' ? values.host : DEFAULT_GATEWAY_HOST
    // Loaded on use so that --help and other commands start without Helia.
    const { openNode } = await import('../../node/index.ts')
    const { createGateway, gatewayUrls } = await import('../../gateway/index.ts')
    // The gateway reads the store only; the node need not join any network for that.
    const node = await openNode(cfg.store, { offline: true, signal })
    try {
      const onProgress = (event: GatewayProgressEvents): void => {
        if (event.type === 'gateway:error') output.warn(`gateway: ${event.detail.method} ${event.detail.url}: ${event.detail.message}`)
      }
      const gateway = createGateway(
        { helia: node.helia },
        { host, port: requestedPort ?? DEFAULT_GATEWAY_PORT, nextFreePort: requestedPort === undefined, onProgress },
      )
      const address = await gateway.start()
      try {
        const pins = await node.listPins({ signal })
        const sites = pins.slice(-LISTED_PINS).map((pin) => ({ cid: pin.cid.toString(), name: pin.name, ...gatewayUrls(address, pin.cid.toString()) }))
        const example = gatewayUrls(address, '<cid>')
        const moved = requestedPort === undefined && address.port !== DEFAULT_GATEWAY_PORT
        output.result(
          { url: address.url, host: address.host, port: address.port, store: cfg.store, sites },
          [
            `gateway on ${address.url}${moved ? ` (port ${DEFAULT_GATEWAY_PORT} was taken, so ${address.port})` : ''}, serving ${cfg.store}`,
            ...(sites.length === 0
              ? [`no pinned sites yet; open ${example.path}`]
              : sites.flatMap((s) => [`  ${s.name === '' ? s.cid : `${s.name} (${s.cid})`}`, `    ${s.path}`, ...(s.subdomain === undefined ? [] : [`    ${s.subdomain}`])])),
            ...(pins.length > LISTED_PINS ? [`  ... and ${pins.length - LISTED_PINS} older pins ('ipfs-publish pins' lists them)`] : []),
            'press Ctrl+C to stop',
          ],
        )
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      } finally {
        await gateway.stop()
      }
    } finally {
      await node.stop()
    }
    output.info('gateway stopped')
    return EXIT_OK
  },
}
