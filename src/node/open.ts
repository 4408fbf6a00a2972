/**
 * Opens the node of a project store folder (`.ipfs-publish/`): blocks in `blocks/`,
 * pins, IPNS records and Helia's own state in the LevelDB `datastore/`, the libp2p
 * identity in `keys/peer.key`.
 */
import { join } from 'node:path'
import { LevelDatastore } from 'datastore-level'
import { NODE_DATASTORE_DIR, NODE_KEYS_DIR, NODE_PEER_KEY_FILE } from '../constants.ts'
import { StoreError } from '../errors.ts'
import { blockstorePath, openBlockstore } from './blockstore/index.ts'
import { CompleteBlocks } from './complete.ts'
import { loadOrCreatePeerKey } from './keys.ts'
import { createNode } from './node.ts'
import type { Closable, EmbeddedNode, NodeInit } from './types.ts'

/** The node's key file inside a store folder. */
export function peerKeyPath(store: string): string {
  return join(store, NODE_KEYS_DIR, NODE_PEER_KEY_FILE)
}

/**
 * Opens the store (taking its lock: one process at a time), then creates and starts the
 * node over it. Stopping the node closes the stores. An offline node does not read or
 * create the key.
 */
export async function openNode(store: string, init: NodeInit = {}): Promise<EmbeddedNode> {
  const owned: Closable[] = []
  try {
    init.signal?.throwIfAborted()
    const blockstore = await openBlockstore({ path: blockstorePath(store) })
    owned.push(blockstore)
    const datastore = await openDatastore(join(store, NODE_DATASTORE_DIR))
    owned.unshift(datastore)
    // Recovery cut a torn tail off: blocks once known whole may be gone, so nothing is assumed.
    if (blockstore.recovery.truncated.length > 0) await new CompleteBlocks(datastore).replace([])
    const privateKey = init.offline === true ? undefined : await loadOrCreatePeerKey(peerKeyPath(store))
    // createNode owns the stores from here, and closes them if it fails to start.
    const stores = owned.splice(0)
    return await createNode({ blockstore, datastore, ...(privateKey === undefined ? {} : { privateKey }), owned: stores }, init)
  } catch (err) {
    for (const store of owned) await store.close().catch(() => {})
    throw err
  }
}

async function openDatastore(path: string): Promise<LevelDatastore> {
  const datastore = new LevelDatastore(path)
  try {
    await datastore.open()
  } catch (err) {
    throw new StoreError(`the node's datastore ${path} could not be opened: ${(err as Error).message}`, { cause: err })
  }
  return datastore
}
