import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256 } from 'multiformats/hashes/sha2'
import { CID } from 'multiformats/cid'
import type { PinServerProgressEvents } from '../../../src/events.ts'
import type { EmbeddedNode } from '../../../src/node/index.ts'
import { createPinServer, type PinServer, type PinServerAddress, type PinServerInit, type PinStatusBody } from '../../../src/pin/server/index.ts'
import { importSite, memoryNode } from '../../node/node-fixtures.ts'

export const TOKEN = 'token-of-alice-0123456789abcdef'
export const OTHER_TOKEN = 'token-of-bob-0123456789abcdef01'

/** How often a test looks at a pin's status while waiting for it to change. */
const POLL_MS = 25
/** A status that has not come after this long is a failure, not something to wait for. */
export const WAIT_MS = 30_000

export const text = (s: string): Uint8Array => new TextEncoder().encode(s)

export interface Failure {
  error: { reason: string; details?: string }
}

export interface Reply<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export interface Harness {
  node: EmbeddedNode
  server: PinServer
  address: PinServerAddress
  dir: string
  events: PinServerProgressEvents[]
  /** Calls the API with a token (or none). */
  api<T = unknown>(method: string, path: string, options?: { token?: string | null; body?: unknown; raw?: string }): Promise<Reply<T>>
  stop(): Promise<void>
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ipfs-publish-${prefix}-`))
}

/** A pin server over `node` (a new in-memory online node by default), records in a temp folder. */
export async function startServer(
  init: Partial<PinServerInit> = {},
  components: { node?: EmbeddedNode; now?: () => Date; dir?: string } = {},
): Promise<Harness> {
  const node = components.node ?? (await memoryNode())
  const dir = components.dir ?? (await tempDir('pin-server'))
  const events: PinServerProgressEvents[] = []
  const server = createPinServer(
    { node, ...(components.now === undefined ? {} : { now: components.now }) },
    { tokens: [TOKEN, OTHER_TOKEN], dir, port: 0, onProgress: (e) => events.push(e), ...init },
  )
  const address = await server.start()
  return {
    node,
    server,
    address,
    dir,
    events,
    async api<T>(method: string, path: string, options: { token?: string | null; body?: unknown; raw?: string } = {}) {
      const token = options.token === undefined ? TOKEN : options.token
      const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` }
      let body: string | undefined = options.raw
      if (options.body !== undefined) {
        body = JSON.stringify(options.body)
        headers['Content-Type'] = 'application/json'
      }
      const res = await fetch(`${address.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
      const textBody = await res.text()
      return { status: res.status, headers: res.headers, body: (textBody === '' ? undefined : JSON.parse(textBody)) as T }
    },
    async stop() {
      await server.stop()
      if (components.node === undefined) await node.stop()
      if (components.dir === undefined) await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Polls `GET /pins/{id}` until the status is one of `wanted`; fails on any other final status or after WAIT_MS. */
export async function waitForStatus(h: Harness, requestid: string, wanted: string[], token = TOKEN): Promise<PinStatusBody> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const reply = await h.api<PinStatusBody>('GET', `/pins/${requestid}`, { token })
    if (reply.status !== 200) throw new Error(`GET /pins/${requestid}: ${reply.status} ${JSON.stringify(reply.body)}`)
    if (wanted.includes(reply.body.status)) return reply.body
    if (Date.now() > deadline) throw new Error(`pin ${requestid} is still ${reply.body.status} after ${WAIT_MS} ms (waiting for ${wanted.join('/')})`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Waits until `check` is true, polling; for effects the API does not show (the node's own pins). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** A one-file site imported into the node's blockstore (not pinned), so the server pins it without fetching. */
export async function localSite(node: EmbeddedNode, content: string): Promise<CID> {
  return (await importSite(node.helia, new Map([['index.html', text(content)]]))).root
}

/** A dag-pb block that is not dag-pb, stored in the node: pinning it fails at once (not by timeout). */
export async function brokenBlock(node: EmbeddedNode, seed: string): Promise<CID> {
  const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xff, ...text(seed)])
  const cid = CID.createV1(0x70, await sha256.digest(bytes))
  await node.helia.blockstore.put(cid, bytes)
  return cid
}

/** A CID nobody has: pinning it waits for the fetch timeout. */
export async function missingCid(seed: string): Promise<CID> {
  return CID.createV1(0x55, await sha256.digest(text(`nobody has this: ${seed} ${Math.random()}`)))
}

/** Whether the node has a local pin for the CID. */
export async function nodePinned(node: EmbeddedNode, cid: CID): Promise<boolean> {
  const key = cid.toV1().toString()
  return (await node.listPins()).some((pin) => pin.cid.toV1().toString() === key)
}
