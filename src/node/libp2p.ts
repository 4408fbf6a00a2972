/**
 * The embedded node's libp2p: TCP with Noise and Yamux, which every Kubo-based pinning
 * service speaks, and nothing that finds or dials peers on its own (no bootstrap list,
 * no DHT, no mDNS, no relay). Peers are dialled only when the config or a caller names them.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { CreateLibp2pOptions } from '@helia/libp2p'
import { type Identify, identify } from '@libp2p/identify'
import { KEEP_ALIVE, type Libp2p, type PeerId, type PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { NodeError } from '../errors.ts'
import type { NodeProgressEvents, ProgressOptions } from '../events.ts'

/** Identify tells each side which protocols the other speaks; Bitswap only uses peers that announce it. */
export interface NodeServices extends Record<string, unknown> {
  identify: Identify
}

export interface NetworkOptions {
  listen: string[]
  announce: string[]
}

export function libp2pOptions(privateKey: PrivateKey | undefined, network: NetworkOptions): CreateLibp2pOptions<NodeServices> {
  return {
    ...(privateKey === undefined ? {} : { privateKey }),
    // The peer store stays in memory: a persisted one would redial, at every start, the
    // keep-alive peers of earlier runs even after they were removed from the config.
    datastore: new MemoryDatastore(),
    addresses: { listen: network.listen, announce: network.announce },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    services: { identify: identify() },
  }
}

/** The PeerID at the end of a `/p2p/<PeerID>` multiaddr. */
export function peerOf(address: Multiaddr): PeerId {
  const last = address.getComponents().at(-1)
  if (last?.name !== 'p2p' || last.value === undefined) {
    throw new NodeError(`cannot dial ${address}: it must end in /p2p/<PeerID>`)
  }
  return peerIdFromString(last.value)
}

/**
 * Connects to each bootstrap peer and tags it keep-alive, so libp2p reconnects when the
 * connection drops. A peer that is down is reported, not fatal: the node still serves.
 */
export async function connectBootstrap(
  libp2p: Libp2p,
  addresses: string[],
  options: ProgressOptions<NodeProgressEvents> & { signal?: AbortSignal },
): Promise<void> {
  await Promise.all(
    addresses.map(async (text) => {
      const address = multiaddr(text)
      try {
        const peer = peerOf(address)
        await libp2p.peerStore.merge(peer, { multiaddrs: [address.decapsulateCode(P2P_CODE)], tags: { [KEEP_ALIVE]: { value: 1 } } })
        options.onProgress?.({ type: 'node:dial', detail: { address: text } })
        await libp2p.dial(address, { signal: options.signal })
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        options.onProgress?.({ type: 'node:dial:failed', detail: { address: text, message: (err as Error).message } })
      }
    }),
  )
}

/** The multicodec of the `/p2p/` component. */
const P2P_CODE = 0x01a5
