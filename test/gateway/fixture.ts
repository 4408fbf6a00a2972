/**
 * A small website in an in-memory Helia node with no networking (no libp2p, no routers,
 * no block brokers), served by the gateway on a free loopback port.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { ipns } from '@helia/ipns'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight, type Helia, type PublicKey } from 'helia'
import type { CID } from 'multiformats/cid'
import { createGateway, type Gateway, type GatewayComponents, type GatewayInit } from '../../src/gateway/index.ts'

/** A PNG signature and IHDR chunk: enough for anything that sniffs PNG. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')
/** The large file: over three 1 MiB chunks, so ranges touch only some of its blocks. */
export const VIDEO_SIZE = 3 * 1024 * 1024 + 12345
export const VIDEO = Buffer.alloc(VIDEO_SIZE)
// A linear congruential generator: bytes that never repeat a chunk, so no block is deduplicated.
for (let i = 0, x = 1; i < VIDEO_SIZE; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0
  VIDEO[i] = x >>> 24
}
VIDEO.write('ftypisom', 4, 'latin1')

export const REDIRECTS = `# rules evaluated only for paths that do not exist
/old-post /posts/hello/ 301
/temp /posts/hello/?from=temp 302
/app/* /index.html 200
/blog/:year/:slug /posts/:slug/?year=:year 301
/splat/* /posts/:splat 302
/gone/* /404.html 410
/search https://example.net/search?q=static 302
`

export const SITE: Record<string, string | Uint8Array> = {
  'index.html': '<!doctype html><html><head><title>Home</title></head><body><a href="posts/hello/">Hello</a></body></html>',
  'posts/hello/index.html': '<!doctype html><html><head><title>Hello</title></head><body>Hello post</body></html>',
  'posts/hello/header.png': PNG,
  'posts/ipfs-404.html': '<!doctype html><title>No such post</title>',
  'assets/logo': PNG,
  'assets/notes': 'plain words, no extension\n',
  'assets/data': '{"kind": "json without extension"}',
  'assets/page': '<!DOCTYPE html><html><body>sniffed</body></html>',
  'assets/style.css': 'body { color: black }',
  'docs/readme.txt': 'a directory without index.html\n',
  'media/video.mp4': VIDEO,
  '404.html': '<!doctype html><title>Not found</title>',
  _redirects: REDIRECTS,
}

/** A blockstore that remembers which blocks were read, to check that ranges read only what they need. */
export class CountingBlockstore extends MemoryBlockstore {
  reads: string[] = []

  override get(key: CID, options?: Parameters<MemoryBlockstore['get']>[1]): ReturnType<MemoryBlockstore['get']> {
    this.reads.push(key.toString())
    return super.get(key, options)
  }
}

export interface Site {
  helia: Helia
  blockstore: CountingBlockstore
  root: CID
  /** The CID of every file and directory, by path ('' for the root). */
  cids: Map<string, CID>
  /** The IPNS name (base36) whose record points at the root. */
  ipnsName: string
  /** The key that signed that record. */
  publicKey: PublicKey
}

export async function createSite(extra: Record<string, string | Uint8Array> = {}, options: { shardSplitThresholdBytes?: number } = {}): Promise<Site> {
  const blockstore = new CountingBlockstore()
  const helia = createHeliaLight({ blockstore, datastore: new MemoryDatastore(), routers: [], blockBrokers: [] })
  await helia.start()
  const files = Object.entries({ ...SITE, ...extra }).map(([path, content]) => ({
    path,
    content: typeof content === 'string' ? Buffer.from(content) : content,
  }))
  const cids = new Map<string, CID>()
  for await (const entry of unixfs(helia).addAll(files, { wrapWithDirectory: true, profile: 'unixfs-v1-2025', ...options })) {
    cids.set(entry.path ?? '', entry.cid)
  }
  const root = cids.get('')!
  const published = await ipns(helia).publish('site', root, { offline: true })
  return { helia, blockstore, root, cids, ipnsName: published.name.replace('/ipns/', ''), publicKey: published.publicKey }
}

export interface Served extends Site {
  gateway: Gateway
  port: number
  stop(): Promise<void>
}

export async function serveSite(
  options: { init?: GatewayInit; components?: Omit<GatewayComponents, 'helia'>; site?: Site } = {},
): Promise<Served> {
  const site = options.site ?? (await createSite())
  const gateway = createGateway({ helia: site.helia, ...options.components }, { port: 0, ...options.init })
  const { port } = await gateway.start()
  return {
    ...site,
    gateway,
    port,
    async stop() {
      await gateway.stop()
      await site.helia.stop()
    },
  }
}

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

/**
 * A request with a chosen `Host` header (Node's fetch cannot reach `*.localhost`), always
 * on a fresh connection so one test's failure cannot leak into the next.
 */
export function get(port: number, path: string, options: { host?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}`, connection: 'close', ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') })
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}
