/** What the parts of the request handler share: the gateway's components and one request's state. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Helia } from '@helia/interface'
import type { CID } from 'multiformats/cid'
import type { BlockReader } from './blocks.ts'
import type { DirectBlockstore } from '../node/direct-store.ts'
import type { Headers } from './reply.ts'
import type { NameResolvers } from './resolve.ts'
import type { ContentPath } from './url-path.ts'

export interface GatewayContext {
  helia: Helia
  /** The store under Helia's layers when it can be read directly (the pack store), for whole-DAG CARs. */
  direct: DirectBlockstore | undefined
  resolvers: NameResolvers
  subdomainHosts: readonly string[]
  offline: boolean
}

export interface RequestContext {
  gateway: GatewayContext
  req: IncomingMessage
  res: ServerResponse
  url: URL
  head: boolean
  signal: AbortSignal
  /** Reads blocks for this request; each read counts as progress for the idle timeout. */
  reader: BlockReader
  /** Tells the idle timeout that the request is still making progress. */
  progress: () => void
}

/** A request for content, after the host and URL were understood. */
export interface ContentRequest {
  /** As asked for, before any resolution (`X-Ipfs-Path`). */
  path: ContentPath
  /**
   * The content root is an origin of its own (subdomain and DNSLink hosts): `_redirects`
   * applies and redirects are relative to `/`.
   */
  isolated: boolean
  /** The DNSLink value of the `/ipns/` root, when the host lookup already found it. */
  dnslink?: string
}

/** A content request with its name resolved to an immutable root. */
export interface ResolvedRequest extends ContentRequest {
  cid: CID
  /** Where the site starts inside `cid` (a DNSLink or IPNS value with a path). */
  prefix: string[]
  /** Headers every response for this content carries (caching, `X-Ipfs-Path`). */
  headers: Headers
}
