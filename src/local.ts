/**
 * The embedded default (`ipfs-publish start`, `npm start`): the whole pipeline with no
 * account anywhere. Builds the site, packs it into the project's store, pins it in the
 * embedded node, serves it on the local gateway, fetches it back whole through that
 * gateway, and only then moves the site's local IPNS name to it (the safety rule).
 * Returns once the site is being served; the caller stops it.
 */
import { basename } from 'node:path'
import type { CID } from 'multiformats/cid'
import type { ResolvedConfig } from './config/index.ts'
import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_IPNS_KEY } from './constants.ts'
import { NotRetrievableError } from './errors.ts'
import { gitHead } from './git.ts'
import type {
  AbortOptions,
  BuildProgressEvents,
  GatewayProgressEvents,
  LocalProgressEvents,
  NameProgressEvents,
  NodeProgressEvents,
  PackProgressEvents,
  ProgressOptions,
  VerifyProgressEvents,
} from './events.ts'
import { createGateway, type Gateway, type GatewayAddress, gatewayUrls } from './gateway/index.ts'
import { type VerifyResult, verify } from './gateway/verify.ts'
import { createIpnsPublisher, type IpnsPublishResult, openKeystore } from './name/index.ts'
import { type EmbeddedNode, type LocalPin, openNode } from './node/index.ts'
import { type PackResult, pack } from './pack/index.ts'
import { buildForPack } from './site-build.ts'

export type StartLocalProgressEvents =
  | LocalProgressEvents
  | BuildProgressEvents
  | PackProgressEvents
  | NodeProgressEvents
  | GatewayProgressEvents
  | VerifyProgressEvents
  | NameProgressEvents

export interface StartLocalOptions extends AbortOptions, ProgressOptions<StartLocalProgressEvents> {
  /** The project: site, build, pack profile and store folder. */
  config: Pick<ResolvedConfig, 'root' | 'site' | 'build' | 'pack' | 'store'>
  /**
   * The gateway's address. Anything but loopback shows the store's sites to the network.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * The gateway's port; 0 picks a free one.
   * @default 8080
   */
  port?: number
  /**
   * When the port is taken, try the next ones instead of failing.
   * @default true when `port` is not given
   */
  nextFreePort?: boolean
  /**
   * The keystore name of the IPNS key, created on first use.
   * @default 'site'
   */
  key?: string
  /** What `verify` fetches with; tests pass one that tampers. @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface LocalUrls {
  /** `http://127.0.0.1:<port>/ipfs/<cid>/` */
  path: string
  /** `http://<cid>.ipfs.localhost:<port>/` (undefined for a CID too long for a DNS label) */
  subdomain: string | undefined
  /** `http://<name>.ipns.localhost:<port>/` */
  ipns: string | undefined
  /** `http://127.0.0.1:<port>/ipns/<name>/` */
  ipnsPath: string
}

export interface LocalSite {
  cid: CID
  /** What the build produced (counts; the files themselves went into the store). */
  build: { files: number; pages: number; posts: number; bytes: number }
  pack: PackResult
  pin: LocalPin
  verify: VerifyResult
  ipns: IpnsPublishResult
  /** CIDs of this site's earlier local pins, removed once the name moved (blocks stay until `gc`). */
  replaced: string[]
  /** Where the gateway listens. */
  address: GatewayAddress
  urls: LocalUrls
  /** Stops the gateway (ending requests in flight), then the node, closing the store. Safe to call twice. */
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export async function startLocal(options: StartLocalOptions): Promise<LocalSite> {
  const { config, signal } = options
  const emit = (event: StartLocalProgressEvents): void => options.onProgress?.(event)
  // The node first: a store locked by another process fails before minutes of building.
  const node = await openNode(config.store, { offline: true, signal, onProgress: emit })
  let gateway: Gateway | undefined
  const stop = async (): Promise<void> => {
    try {
      await gateway?.stop()
    } finally {
      await node.stop()
    }
  }
  try {
    // Made first so that a bad --key fails before the build, not after it.
    const publisher = createIpnsPublisher({ helia: node.helia, keystore: openKeystore(config.store) }, { key: options.key ?? DEFAULT_IPNS_KEY })
    emit({ type: 'local:stage', detail: { stage: 'build' } })
    const built = await buildForPack({ config, signal, onProgress: emit })
    emit({ type: 'local:built', detail: built.summary })
    emit({ type: 'local:stage', detail: { stage: 'pack' } })
    const packed = await pack(built.source, {
      blockstore: node.helia.blockstore,
      profile: config.pack.profile,
      hidden: config.pack.hidden,
      signal,
      onProgress: emit,
    })
    const { cid } = packed
    const { files, bytes, blocks, newBlocks, newBytes } = packed
    emit({ type: 'local:packed', detail: { cid: cid.toString(), files, bytes, blocks, newBlocks, newBytes } })

    emit({ type: 'local:stage', detail: { stage: 'pin' } })
    const site = basename(config.site)
    const commit = await gitHead(config.root, signal)
    const pin = await node.pin(cid, { name: site, metadata: { site, ...(commit === undefined ? {} : { commit }) }, signal, onProgress: emit })

    emit({ type: 'local:stage', detail: { stage: 'gateway' } })
    gateway = createGateway(
      { helia: node.helia },
      {
        host: options.host ?? DEFAULT_GATEWAY_HOST,
        port: options.port ?? DEFAULT_GATEWAY_PORT,
        nextFreePort: options.nextFreePort ?? options.port === undefined,
        onProgress: emit,
      },
    )
    const address = await gateway.start()
    emit({ type: 'local:listening', detail: { url: address.url, port: address.port } })

    emit({ type: 'local:stage', detail: { stage: 'verify' } })
    const verified = await verify(cid.toString(), { gateways: [address.url], fetch: options.fetch, signal, onProgress: emit })
    if (!verified.ok) {
      const failure = verified.gateways.find((g) => !g.ok)
      throw new NotRetrievableError(
        `${cid} did not come back whole from the local gateway (${failure?.error ?? 'unknown reason'}), so the IPNS name was not moved; ` +
          "check the store with 'ipfs-publish pins' and run start again",
      )
    }

    emit({ type: 'local:stage', detail: { stage: 'name' } })
    const ipns = await publisher.publish(cid, { signal, onProgress: emit })
    // Only now, with the name on the new CID, may the previous version's pin go: a run
    // that failed earlier left it in place. Blocks both versions share stay pinned.
    const replaced = await unpinPrevious(node, site, cid)

    const content = gatewayUrls(address, cid.toString())
    const named = gatewayUrls(address, ipns.name, 'ipns')
    return {
      cid,
      build: built.summary,
      pack: packed,
      pin,
      verify: verified,
      ipns,
      replaced,
      address,
      urls: { path: content.path, subdomain: content.subdomain, ipns: named.subdomain, ipnsPath: named.path },
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (err) {
    await stop().catch(() => {})
    throw err
  }
}

async function unpinPrevious(node: EmbeddedNode, name: string, current: CID): Promise<string[]> {
  const previous = (await node.listPins()).filter((p) => p.name === name && !p.cid.equals(current))
  for (const pin of previous) await node.unpin(pin.cid)
  return previous.map((p) => p.cid.toString())
}
