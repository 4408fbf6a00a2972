/** The gateway's options, their defaults, and their validation. */
import {
  DEFAULT_GATEWAY_HOST,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_GATEWAY_SUBDOMAIN_HOSTS,
  DNSLINK_CACHE_MS,
  GATEWAY_PORT_ATTEMPTS,
  GATEWAY_TIMEOUT_MS,
} from '../constants.ts'
import { GatewayError } from '../errors.ts'
import type { GatewayProgressEvents, ProgressOptions } from '../events.ts'

export interface GatewayInit extends ProgressOptions<GatewayProgressEvents> {
  /**
   * The address to listen on. Anything but loopback exposes the node's content to the network.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * The port to listen on; 0 picks a free one.
   * @default 8080
   */
  port?: number
  /**
   * When the port is taken, try the following ones (up to `GATEWAY_PORT_ATTEMPTS`) instead of failing.
   * @default false
   */
  nextFreePort?: boolean
  /**
   * Domains whose subdomains (`<cid>.ipfs.<domain>`, `<name>.ipns.<domain>`) are content
   * roots. Requests for `/ipfs/…` on these hosts redirect to the subdomain; other hosts
   * (`127.0.0.1`) stay path gateways.
   * @default ['localhost']
   */
  subdomainHosts?: string[]
  /**
   * Serve only what the local store holds (a non-recursive gateway). When false, missing
   * blocks are asked of Helia's block brokers, within `timeoutMs`.
   * @default true
   */
  offline?: boolean
  /**
   * A request that makes no progress (no name resolved, no block read, no bytes sent) for
   * this long is answered 504, or cut if its response has started.
   * @default 30000
   */
  timeoutMs?: number
  /**
   * DNS servers for DNSLink lookups (`'127.0.0.1:5353'`), used when no `resolveTxt` component
   * is given. Default: the system's.
   */
  dnsServers?: string[]
  /**
   * How long a DNSLink answer is reused, in milliseconds; 0 asks DNS every time.
   * @default 60000
   */
  dnslinkCacheMs?: number
}

export interface NormalizedGatewayInit {
  host: string
  port: number
  portAttempts: number
  subdomainHosts: string[]
  offline: boolean
  timeoutMs: number
  dnsServers: string[] | undefined
  dnslinkCacheMs: number
  onProgress: ((event: GatewayProgressEvents) => void) | undefined
}

export function normalizeGatewayInit(init: GatewayInit): NormalizedGatewayInit {
  const port = init.port ?? DEFAULT_GATEWAY_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GatewayError(`gateway: \`port\` must be an integer from 0 to 65535, got ${port}`)
  const timeoutMs = init.timeoutMs ?? GATEWAY_TIMEOUT_MS
  if (!(timeoutMs > 0)) throw new GatewayError(`gateway: \`timeoutMs\` must be positive, got ${timeoutMs}`)
  const subdomainHosts = (init.subdomainHosts ?? [...DEFAULT_GATEWAY_SUBDOMAIN_HOSTS]).map((h) => h.toLowerCase())
  const bad = subdomainHosts.find((h) => !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(h))
  if (bad !== undefined) throw new GatewayError(`gateway: \`subdomainHosts\` has '${bad}', which is not a host name`)
  return {
    host: init.host ?? DEFAULT_GATEWAY_HOST,
    port,
    portAttempts: init.nextFreePort === true && port !== 0 ? GATEWAY_PORT_ATTEMPTS : 1,
    subdomainHosts,
    offline: init.offline ?? true,
    timeoutMs,
    dnsServers: init.dnsServers,
    dnslinkCacheMs: init.dnslinkCacheMs ?? DNSLINK_CACHE_MS,
    onProgress: init.onProgress,
  }
}
