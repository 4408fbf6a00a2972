import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { unixfs } from '@helia/unixfs'
import type { CID } from 'multiformats/cid'
import { type EmbeddedNode, openNode } from '../../src/node/index.ts'
import type { NodeProgressEvents } from '../../src/events.ts'
import { blockKey, concatStream, importSite, memoryNode, siteFiles, storedBlocks } from './node-fixtures.ts'

/** Generous: a fetch that has not finished by then is a failure, not something to wait for. */
const FETCH_TIMEOUT_MS = 30_000

describe('createNode (online)', () => {
  let store: string
  /** Serves from a real store folder (pack-file blockstore, LevelDB), as `deploy` will. */
  let a: EmbeddedNode
  let b: EmbeddedNode
  let site: { root: CID; files: Map<string, CID> }
  const files = siteFiles()

  before(async () => {
    store = await mkdtemp(join(tmpdir(), 'ipfs-publish-bitswap-'))
    a = await openNode(store)
    b = await memoryNode()
    site = await importSite(a.helia, files)
    await a.pin(site.root, { name: 'blog', metadata: { site: 'blog' }, offline: true })
  })

  after(async () => {
    await b?.stop()
    await a?.stop()
    await rm(store, { recursive: true, force: true })
  })

  it('listens on loopback TCP by default and reports addresses that end in its PeerID', () => {
    const addresses = a.addresses().map(String)
    assert.ok(addresses.length > 0)
    for (const address of addresses) {
      assert.match(address, /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
      assert.ok(address.endsWith(`/p2p/${a.peerId}`))
    }
  })

  it('serves every file of a pinned site to a second node over Bitswap', async () => {
    const events: NodeProgressEvents[] = []
    const [address] = a.addresses()
    assert.ok(address !== undefined)
    const peer = await b.dial(address, { onProgress: (e) => events.push(e) })
    assert.ok(a.peerId !== undefined && peer.equals(a.peerId))
    assert.deepEqual(events.map((e) => e.type), ['node:dial'])
    const fs = unixfs(b.helia)
    for (const [path, content] of files) {
      const cid = site.files.get(path)
      assert.ok(cid !== undefined, path)
      const fetched = await concatStream(fs.cat(cid, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }))
      assert.equal(Buffer.compare(fetched, content), 0, `${path} differs`)
    }
  })

  it('pins a site from a peer, fetching every block it does not have yet', async () => {
    const sent = await storedBlocks(a)
    const blocks: string[] = []
    const events: NodeProgressEvents[] = []
    const pin = await b.pin(site.root, {
      name: 'mirror',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      onProgress: (e) => {
        events.push(e)
        if (e.type === 'node:pin:block') blocks.push(blockKey(e.detail.cid))
      },
    })
    assert.equal(pin.name, 'mirror')
    assert.deepEqual(events.at(-1), { type: 'node:pin:done', detail: { cid: site.root.toString(), name: 'mirror', blocks: sent.size } })
    assert.deepEqual(blocks.toSorted(), [...sent.keys()].toSorted())
    const received = await storedBlocks(b)
    for (const [cid, bytes] of sent) {
      const copy = received.get(cid)
      assert.ok(copy !== undefined, `block ${cid} was not fetched`)
      assert.equal(Buffer.compare(copy, bytes), 0, `block ${cid} differs`)
    }
  })
})
