/**
 * The local HTTP gateway: path, subdomain and DNSLink gateway, with trustless (CAR, raw
 * block, IPNS record) responses, over an injected Helia node. It reads blocks straight
 * from the node's blockstore with the UnixFS exporter rather than through
 * `@helia/verified-fetch`, so that the HTTP behaviour the gateway specs ask for
 * (`_redirects`, 404 pages, subdomain redirects, statuses, headers) is ours to get right.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ipnsResolver } from '@helia/ipns'
import type { Helia } from '@helia/interface'
import { base36 } from 'multiformats/bases/base36'
import { GatewayError } from '../errors.ts'
import type { GatewayContext } from './context.ts'
import { findDirectStore } from '../node/direct-store.ts'
import { createTxtResolver, DnslinkLookup, type TxtResolver } from './dnslink.ts'
import { createRequestHandler } from './handler.ts'
import { parseIpnsKey, toDnsLabel } from './names.ts'
import { type GatewayInit, normalizeGatewayInit } from './options.ts'
import type { IpnsResolverLike } from './resolve.ts'
import { listen, urlHost } from '../net/listen.ts'

export type { GatewayInit } from './options.ts'
export type { TxtResolver } from './dnslink.ts'
export type { IpnsResolverLike } from './resolve.ts'
export { createTxtResolver } from './dnslink.ts'

export interface GatewayComponents {
  /** The node whose blockstore (and IPNS records) the gateway serves. */
  helia: Helia
  /** TXT lookups for DNSLink. Default: `node:dns` with `init.dnsServers`. */
  resolveTxt?: TxtResolver
  /** IPNS name resolution. Default: `ipnsResolver(helia)` from `@helia/ipns` (the node's records and routers). */
  ipns?: IpnsResolverLike
}

export interface GatewayAddress {
  host: string
  port: number
  /** The path gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string
}

export interface Gateway {
  readonly server: Server
  /** Where it listens, once started. */
  readonly address: GatewayAddress | undefined
  /** Starts listening; with `nextFreePort`, moves up from a taken port. */
  start(): Promise<GatewayAddress>
  /** Ends requests in flight, closes connections and stops listening. */
  stop(): Promise<void>
}

export function createGateway(components: GatewayComponents, init: GatewayInit = {}): Gateway {
  const options = normalizeGatewayInit(init)
  const resolveTxt = components.resolveTxt ?? createTxtResolver({ servers: options.dnsServers })
  const context: GatewayContext = {
    helia: components.helia,
    direct: findDirectStore(components.helia.blockstore),
    resolvers: {
      ipns: components.ipns ?? ipnsResolver(components.helia),
      dnslink: new DnslinkLookup(resolveTxt, options.dnslinkCacheMs),
      offline: options.offline,
    },
    subdomainHosts: options.subdomainHosts,
    offline: options.offline,
  }
  const stopping = new AbortController()
  const handle = createRequestHandler(context, { timeoutMs: options.timeoutMs, stopping: stopping.signal, onProgress: options.onProgress })
  const server = createServer((req, res) => void handle(req, res))
  let address: GatewayAddress | undefined

  return {
    server,
    get address() {
      return address
    },
    async start() {
      let lastError: unknown
      for (let attempt = 0; attempt < options.portAttempts; attempt++) {
        const port = options.port + attempt
        try {
          await listen(server, options.host, port)
          const bound = server.address() as AddressInfo
          address = { host: options.host, port: bound.port, url: `http://${urlHost(options.host)}:${bound.port}` }
          return address
        } catch (err) {
          lastError = err
          if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') break
        }
      }
      const tried = options.portAttempts > 1 ? `ports ${options.port}-${options.port + options.portAttempts - 1}` : `port ${options.port}`
      throw new GatewayError(`cannot listen on ${options.host} ${tried}: ${(lastError as Error).message}; choose another with --port`, {
        cause: lastError,
      })
    },
    async stop() {
      stopping.abort(new DOMException('the gateway is stopping', 'AbortError'))
      if (!server.listening) return
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err === undefined ? resolve() : reject(err))))
      server.closeAllConnections()
      await closed
    },
  }
}

/**
 * The URLs at which the gateway serves a root: the path form on its own address and the
 * subdomain form on `localhost` (which browsers resolve to loopback by themselves).
 */
export function gatewayUrls(
  address: GatewayAddress,
  root: string,
  namespace: 'ipfs' | 'ipns' = 'ipfs',
): { path: string; subdomain: string | undefined } {
  const key = namespace === 'ipns' ? parseIpnsKey(root) : undefined
  const name = key === undefined ? root : key.toString(base36)
  const shownHost = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : urlHost(address.host)
  let label: string | undefined
  try {
    label = toDnsLabel(namespace, root)
  } catch {
    // Too long for a DNS label: the path form is the only one.
  }
  return {
    path: `http://${shownHost}:${address.port}/${namespace}/${name}/`,
    subdomain: label === undefined ? undefined : `http://${label}.${namespace}.localhost:${address.port}/`,
  }
}
