import { join } from 'node:path'
import { PackBlockstore, type PackBlockstoreInit } from './store.ts'

export type { RecoveryReport } from './recover.ts'
export type { PackBlockstore, PackBlockstoreInit, PackBlockstoreStats } from './store.ts'

/** Where the blocks live inside the project's store folder (`.ipfs-publish/`). */
export const BLOCKS_DIR = 'blocks'

/**
 * Opens (creating if needed) the persistent blockstore at `init.path`, repairing what a
 * killed process left behind. Close it to release the lock and write the index.
 */
export function openBlockstore(init: PackBlockstoreInit): Promise<PackBlockstore> {
  return PackBlockstore.open(init)
}

/** The blockstore folder of a project store: `<store>/blocks`. */
export function blockstorePath(store: string): string {
  return join(store, BLOCKS_DIR)
}
