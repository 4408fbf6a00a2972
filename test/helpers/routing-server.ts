/**
 * A real Delegated Routing V1 HTTP API server (`@helia/delegated-routing-v1-http-api-server`,
 * the Helia project's own) on loopback, over a Helia node whose only router keeps IPNS
 * records in memory. The server validates a PUT record against the name before storing
 * it; the memory router then keeps the better of the old and new record by the `ipns`
 * selector (higher sequence, then later EOL), as a DHT node does. `plant` stores a record
 * behind the server's back: a router that serves what it should not.
 */
import { createDelegatedRoutingV1HttpApiServer } from '@helia/delegated-routing-v1-http-api-server'
import type { Helia } from '@helia/interface'
import { NotFoundError } from '@libp2p/interface'
import { createHeliaLight } from 'helia'
import { ipnsSelector } from 'ipns/selector'

export interface RoutingServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** The record the router holds for a routing key, if any. */
  held(routingKey: Uint8Array): Uint8Array | undefined
  /** Stores a record as it is, unvalidated and replacing what was there. */
  plant(routingKey: Uint8Array, record: Uint8Array): void
  /** How many records the server handed to the router (PUTs it accepted). */
  readonly puts: number
  stop(): Promise<void>
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** IPNS records by routing key, better records winning; the rest of the routing interface is not used by IPNS. */
class MemoryIpnsRouter {
  readonly name = 'memory-ipns'
  readonly records = new Map<string, Uint8Array<ArrayBuffer>>()
  puts = 0

  async put(key: Uint8Array, bytes: Uint8Array): Promise<void> {
    this.puts++
    const value = new Uint8Array(bytes)
    const existing = this.records.get(hex(key))
    // The selector returns the index of the best; on a tie the first (the one already held) stays.
    const best = existing === undefined ? value : [existing, value][ipnsSelector(key, [existing, value])]
    this.records.set(hex(key), best ?? value)
  }

  async get(key: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const record = this.records.get(hex(key))
    if (record === undefined) throw new NotFoundError('no record for this key')
    return record
  }

  toString(): string {
    return 'MemoryIpnsRouter()'
  }
}

export async function startRoutingServer(): Promise<RoutingServer> {
  const router = new MemoryIpnsRouter()
  const helia: Helia = createHeliaLight({ routers: [router], blockBrokers: [] })
  await helia.start()
  // The server's type asks for a Helia with libp2p; its IPNS routes only use `helia.routing`.
  const server = await createDelegatedRoutingV1HttpApiServer(helia as unknown as Parameters<typeof createDelegatedRoutingV1HttpApiServer>[0], {
    listen: { host: '127.0.0.1', port: 0 },
  })
  const address = server.server.address()
  if (address === null || typeof address === 'string') throw new Error('the routing server has no TCP address')
  return {
    url: `http://${address.address}:${address.port}`,
    held: (routingKey) => router.records.get(hex(routingKey)),
    plant: (routingKey, record) => {
      router.records.set(hex(routingKey), new Uint8Array(record))
    },
    get puts() {
      return router.puts
    },
    async stop() {
      await server.close()
      await helia.stop()
    },
  }
}
