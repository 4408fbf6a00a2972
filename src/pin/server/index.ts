/**
 * `createPinServer`: our own IPFS Pinning Service API v1.0.0 endpoint (the spec:
 * ipfs/pinning-services-api-spec, `ipfs-pinning-service.yaml`), over an embedded node that
 * really fetches each pinned DAG from the request's `origins` over libp2p and Bitswap.
 * The node is the caller's: the server never starts or stops it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PinServerError } from '../../errors.ts'
import type { EmbeddedNode } from '../../node/types.ts'
import { Authenticator } from './auth.ts'
import { normalizePinServerInit, type PinServerInit } from './options.ts'
import { RecordFiles } from './records.ts'
import { createRequestHandler } from './routes.ts'
import { PinService } from './service.ts'
import { UniqueClock } from './time.ts'
import { listen, urlHost } from '../../net/listen.ts'

export type { TokenCheck } from './auth.ts'
export { accountOf } from './auth.ts'
export type { PinServerInit } from './options.ts'
export type { PinRecord, PinServerStatus } from './records.ts'
export type { PinStatusBody } from './status.ts'

export interface PinServerComponents {
  /** An online node: its addresses are the `delegates`, and it fetches and keeps the DAGs. */
  node: EmbeddedNode
  /** @default () => new Date() */
  now?: () => Date
}

export interface PinServerAddress {
  /** The API's base URL, e.g. `http://127.0.0.1:5050`. */
  url: string
  host: string
  port: number
  peerId: string
  /** The node's multiaddrs, each ending in `/p2p/<PeerID>` (the `delegates`). */
  addresses: string[]
}

export interface PinServer {
  readonly server: Server
  /** Loads the records (resuming unfinished pins), then listens. */
  start(): Promise<PinServerAddress>
  /** Stops listening and fetching; unfinished pins stay on disk for the next start. The node keeps running. */
  stop(): Promise<void>
}

export function createPinServer(components: PinServerComponents, init: PinServerInit): PinServer {
  const options = normalizePinServerInit(init)
  const { node } = components
  if (node.libp2p === undefined || node.peerId === undefined) {
    throw new PinServerError('the pin server needs an online node: it fetches each DAG from its origins over libp2p')
  }
  const peerId = node.peerId.toString()
  const delegates = () => node.addresses().map(String)
  const service = new PinService(
    { node, files: new RecordFiles(options.dir), clock: new UniqueClock(components.now ?? (() => new Date())), onProgress: options.onProgress },
    { fetchTimeoutMs: options.fetchTimeoutMs, maxConcurrentFetches: options.maxConcurrentFetches },
  )
  const stopping = new AbortController()
  const handle = createRequestHandler({
    service,
    auth: new Authenticator(options.tokens),
    delegates,
    maxBodyBytes: options.maxBodyBytes,
    stopping: stopping.signal,
    onProgress: options.onProgress,
  })
  const server = createServer({ requestTimeout: options.requestTimeoutMs, headersTimeout: options.requestTimeoutMs }, (req, res) => void handle(req, res))
  let stopped: Promise<void> | undefined

  return {
    server,
    async start() {
      if (delegates().length === 0) {
        throw new PinServerError('the pin server’s node listens on no address, so it has no delegates to give clients; check node.listen')
      }
      await service.start()
      try {
        await listen(server, options.host, options.port)
      } catch (err) {
        await service.stop()
        throw new PinServerError(`cannot listen on ${options.host} port ${options.port}: ${(err as Error).message}; choose another with --port`, { cause: err })
      }
      const { port } = server.address() as AddressInfo
      const address = { url: `http://${urlHost(options.host)}:${port}`, host: options.host, port, peerId, addresses: delegates() }
      options.onProgress?.({ type: 'pin-server:listening', detail: { url: address.url, peerId, addresses: address.addresses } })
      return address
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort()
        const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()
        server.closeIdleConnections()
        await service.stop()
        server.closeAllConnections()
        await closed
      })()
      return stopped
    },
  }
}

