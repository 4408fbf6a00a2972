import { randomBytes } from 'node:crypto'
import { unixfs } from '@helia/unixfs'
import type { Helia } from '@helia/interface'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { CID } from 'multiformats/cid'
import { createNode, type EmbeddedNode, type NodeInit } from '../../src/node/index.ts'

/** A small site: a page, a nested page and an asset large enough to span several blocks. */
export function siteFiles(): Map<string, Uint8Array> {
  return new Map([
    ['index.html', new TextEncoder().encode('<!doctype html><title>home</title><a href="posts/a/">a</a>')],
    ['posts/a/index.html', new TextEncoder().encode('<!doctype html><title>a</title>')],
    ['assets/video.bin', new Uint8Array(randomBytes(2.5 * 1024 * 1024))],
  ])
}

/** Imports the files as a UnixFS directory and returns the root and each file's CID. */
export async function importSite(helia: Helia, files: Map<string, Uint8Array>): Promise<{ root: CID; files: Map<string, CID> }> {
  const fs = unixfs(helia)
  const cids = new Map<string, CID>()
  let root: CID | undefined
  const source = [...files].map(([path, content]) => ({ path, content }))
  for await (const entry of fs.addAll(source, { wrapWithDirectory: true, rawLeaves: true })) {
    const path = entry.path ?? ''
    if (path === '') root = entry.cid
    else cids.set(path, entry.cid)
  }
  if (root === undefined) throw new Error('the importer yielded no root directory')
  return { root, files: cids }
}

/** A node over in-memory stores. */
export function memoryNode(init: NodeInit = {}): Promise<EmbeddedNode> {
  return createNode({ blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore() }, init)
}

/** Stores key blocks by multihash: the same block may be listed under a raw or a dag-pb CID. */
export function blockKey(cid: CID | string): string {
  const parsed = typeof cid === 'string' ? CID.parse(cid) : cid
  return CID.createV1(0x55, parsed.multihash).toString()
}

/** Every block in a node's local store, by blockKey. */
export async function storedBlocks(node: EmbeddedNode): Promise<Map<string, Uint8Array>> {
  const blocks = new Map<string, Uint8Array>()
  for await (const { cid, bytes } of node.helia.blockstore.getAll()) {
    const parts: Uint8Array[] = []
    for await (const chunk of bytes) parts.push(chunk)
    blocks.set(blockKey(cid), Buffer.concat(parts))
  }
  return blocks
}

export async function concatStream(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of stream) parts.push(chunk)
  return Buffer.concat(parts)
}
