/**
 * `deploy --car FILE`: a prebuilt site (e.g. the CAR a fork's pull request built without
 * secrets) imported into the store. Nothing in it is trusted: every block must hash to its
 * CID, the header must name exactly one root, and the DAG under that root must be whole
 * (in the store, after the import) before any target is asked to pin it.
 */
import { createReadStream } from 'node:fs'
import { CarBlockIterator } from '@ipld/car'
import type { Blockstore } from 'interface-blockstore'
import { equals } from 'multiformats/bytes'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { CarImportError, PackError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import type { BlockReader } from '../pack/walk.ts'
import { type DagStats, dagStats } from './dag.ts'

export interface CarImportOptions extends AbortOptions {
  /** Where the blocks go; `get` must not ask the network (the DAG must be whole here). */
  blockstore: Pick<Blockstore, 'put'> & BlockReader
}

export interface CarImportResult extends DagStats {
  cid: CID
  /** Blocks the CAR held (including duplicates and blocks outside the DAG). */
  carBlocks: number
}

async function hashMatches(cid: CID, bytes: Uint8Array): Promise<boolean> {
  const code = cid.multihash.code
  if (code === sha256.code) return equals((await sha256.digest(bytes)).digest, cid.multihash.digest)
  if (code === identity.code) return equals(identity.digest(bytes).digest, cid.multihash.digest)
  throw new CarImportError(`block ${cid} uses the hash function 0x${code.toString(16)}, which this tool cannot check; pack the site with a standard CID profile`)
}

export async function importCar(file: string, options: CarImportOptions): Promise<CarImportResult> {
  const { blockstore, signal } = options
  let iterator: CarBlockIterator
  try {
    iterator = await CarBlockIterator.fromIterable(createReadStream(file, { signal }))
  } catch (err) {
    if (signal?.aborted === true) throw err
    throw new CarImportError(`${file} is not a readable CAR file: ${(err as Error).message}`, { cause: err })
  }
  const roots = await iterator.getRoots()
  const [root] = roots
  if (roots.length !== 1 || root === undefined) {
    throw new CarImportError(`${file} names ${roots.length} roots; a site's CAR must have exactly one (what 'ipfs-publish pack --car' writes)`)
  }
  let carBlocks = 0
  try {
    for await (const { cid, bytes } of iterator) {
      signal?.throwIfAborted()
      if (!(await hashMatches(cid, bytes))) {
        throw new CarImportError(`${file}: block ${cid} does not match its CID (damaged or tampered with); nothing was pinned`)
      }
      await blockstore.put(cid, bytes, { signal })
      carBlocks++
    }
  } catch (err) {
    if (err instanceof CarImportError || signal?.aborted === true) throw err
    throw new CarImportError(`${file} is damaged after ${carBlocks} blocks: ${(err as Error).message}`, { cause: err })
  }
  try {
    return { cid: root, carBlocks, ...(await dagStats(root, blockstore, signal)) }
  } catch (err) {
    if (err instanceof PackError) throw new CarImportError(`${file} does not hold the whole DAG of ${root}: ${err.message}`, { cause: err })
    throw err
  }
}
