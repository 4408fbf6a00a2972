/**
 * From a requested content path to what it names: mutable names (IPNS keys, DNSLink
 * domains) to an immutable CID, then UnixFS/IPLD pathing to the terminal entry.
 */
import type { IPNSEntry } from '@helia/ipns'
import { exporter, type UnixFSEntry, walkPath } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { DNSLINK_MAX_RECURSION } from '../constants.ts'
import type { BlockReader } from './blocks.ts'
import type { DnslinkLookup } from './dnslink.ts'
import { HttpError, isPathNotFound, MissingRecordError } from './http-error.ts'
import { isDomainName, parseIpnsKey, requireCid } from './names.ts'

/** What the gateway needs of an IPNS resolver (`ipnsResolver(helia)` from `@helia/ipns`). */
export interface IpnsResolverLike {
  resolve(key: CID, options?: { offline?: boolean; signal?: AbortSignal }): AsyncIterable<{ record: IPNSEntry; value: string }>
}

export interface NameResolvers {
  ipns: IpnsResolverLike
  dnslink: DnslinkLookup
  offline: boolean
}

/** The IPNS record of a key: the first in its chain, as the key's owner signed it. */
export async function findIpnsRecord(resolvers: NameResolvers, key: CID, signal: AbortSignal): Promise<{ record: IPNSEntry; value: string }> {
  try {
    for await (const result of resolvers.ipns.resolve(key, { offline: resolvers.offline, signal })) return result
  } catch (err) {
    signal.throwIfAborted()
    throw new MissingRecordError(`no valid IPNS record for ${key} is known to this node (${(err as Error).message})`, { cause: err })
  }
  throw new MissingRecordError(`no IPNS record for ${key} is known to this node`)
}

export interface ImmutableRoot {
  cid: CID
  /** Path inside `cid` that a DNSLink or IPNS value pointed at: the site's root. */
  prefix: string[]
  /** The smallest TTL along the name chain, in seconds, when one is known. */
  ttlSeconds: number | undefined
}

/**
 * Follows `/ipns/<name>` through IPNS records and DNSLink records to `/ipfs/<cid>/<prefix>`.
 * `known` is the name's DNSLink value when the caller has looked it up already.
 */
export async function resolveName(resolvers: NameResolvers, name: string, signal: AbortSignal, known?: string): Promise<ImmutableRoot> {
  let value = known ?? `/ipns/${name}`
  const prefix: string[] = []
  let ttlSeconds: number | undefined
  for (let depth = 0; depth <= DNSLINK_MAX_RECURSION; depth++) {
    const [, namespace, root = '', ...rest] = value.split('/')
    prefix.unshift(...rest.filter(Boolean))
    if (namespace === 'ipfs') return { cid: requireCid(root), prefix, ttlSeconds }
    const key = parseIpnsKey(root)
    if (key !== undefined) {
      const { record, value: next } = await findIpnsRecord(resolvers, key, signal)
      if (record.ttl !== undefined) ttlSeconds = Math.min(ttlSeconds ?? Infinity, Number(record.ttl / 1_000_000_000n))
      value = next
    } else if (isDomainName(root)) {
      const next = await resolvers.dnslink.lookup(root.toLowerCase(), { signal })
      if (next === undefined) throw new HttpError(404, `${root} has no DNSLink record (no dnslink= TXT record at _dnslink.${root})`)
      value = next
    } else {
      throw new HttpError(400, `'${root}' is neither an IPNS key nor a DNSLink domain name`)
    }
  }
  throw new HttpError(400, `/ipns/${name} goes through more than ${DNSLINK_MAX_RECURSION} IPNS/DNSLink records`)
}

/** A path that leads nowhere; `found` is how many of its segments did resolve. */
export class PathNotFoundError extends Error {
  override name = 'PathNotFoundError'
  readonly found: number

  constructor(message: string, found: number, options: { cause?: unknown } = {}) {
    super(message, options)
    this.found = found
  }
}

export interface Walked {
  entry: UnixFSEntry
  /** The CID of each logical path segment, root first (`X-Ipfs-Roots`). */
  roots: CID[]
}

/** Walks `segments` from `cid` and exports the entry at the end. */
export async function walk(reader: BlockReader, cid: CID, segments: readonly string[], signal: AbortSignal): Promise<Walked> {
  const path = [cid.toString(), ...segments].join('/')
  // walkPath splits on '/' unless escaped by a backslash: such names cannot be asked for.
  const bad = segments.findIndex((s) => s.includes('/') || s.endsWith('\\'))
  if (bad !== -1) throw new PathNotFoundError(`'${segments[bad]}' cannot be looked up: the name has a '/' or ends in '\\'`, bad)
  let roots: CID[] = [cid]
  let found = 0
  try {
    for await (const step of walkPath(path, reader, { signal })) {
      roots = step.roots
      found = segments.length - step.remainder.length
    }
    return { entry: await exporter(roots.at(-1)!, reader, { signal }), roots }
  } catch (err) {
    if (!isPathNotFound(err)) throw err
    const missing = segments.slice(0, found + 1).join('/')
    throw new PathNotFoundError(`/${missing} does not exist in ${cid}`, found, { cause: err })
  }
}

/** The entry at `segments` under `cid`, or undefined when there is none. */
export async function tryExport(reader: BlockReader, cid: CID, segments: readonly string[], signal: AbortSignal): Promise<UnixFSEntry | undefined> {
  try {
    return (await walk(reader, cid, segments, signal)).entry
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined
    throw err
  }
}
