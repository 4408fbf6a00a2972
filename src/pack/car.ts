/**
 * CARv1 export: one root, every block once, depth-first from the root. The bytes depend
 * only on the DAG, so the same DAG always gives the same file.
 */
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CarWriter } from '@ipld/car/writer'
import type { CID } from 'multiformats/cid'
import { PackError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import { type BlockReader, walkDag } from './walk.ts'

export interface ExportCarOptions extends AbortOptions {
  blockstore: BlockReader
}

export interface CarStats {
  blocks: number
  /** Size of the CAR file. */
  bytes: number
}

/** Streams the CAR of the DAG under `root`; nothing is buffered beyond one block. */
export function exportCar(root: CID, options: ExportCarOptions): AsyncGenerator<Uint8Array> {
  return encodeCar(root, options, () => {})
}

async function* encodeCar(root: CID, options: ExportCarOptions, onBlock: () => void): AsyncGenerator<Uint8Array> {
  const { writer, out } = CarWriter.create([root])
  const feeding = (async () => {
    try {
      for await (const block of walkDag(root, options.blockstore, options.signal)) {
        onBlock()
        await writer.put(block)
      }
    } finally {
      await writer.close()
    }
  })()
  // Keep a failure from surfacing as unhandled before the consumer reaches the end.
  feeding.catch(() => {})
  yield* out
  await feeding
}

/**
 * Writes the CAR to `file`, through a temporary file renamed at the end, so a failed or
 * interrupted export never leaves a truncated CAR under the final name.
 */
export async function writeCar(root: CID, file: string, options: ExportCarOptions): Promise<CarStats> {
  const tmp = `${file}.${process.pid}.tmp`
  const stats: CarStats = { blocks: 0, bytes: 0 }
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const bytes of encodeCar(root, options, () => stats.blocks++)) {
      stats.bytes += bytes.byteLength
      yield bytes
    }
  }
  try {
    await pipeline(Readable.from(counted()), createWriteStream(tmp), { signal: options.signal })
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    if (err instanceof PackError || (err as Error).name === 'AbortError') throw err
    throw new PackError(`${file}: the CAR could not be written: ${(err as Error).message}`, { cause: err })
  }
  return stats
}
