/**
 * Block access for the gateway: every read goes through here so that a missing block is
 * told apart from a missing path, and so that CAR responses can replay the blocks a path
 * walk touched.
 */
import type { Blocks } from '@helia/interface'
import type { CID } from 'multiformats/cid'
import { MissingBlockError } from './http-error.ts'

/** Errors with which Helia and the stores say "no such block here". */
const NOT_HERE = new Set(['NotFoundError', 'BlockNotFoundWhileOfflineError', 'InvalidConfigurationError', 'NoProvidersError'])

export interface ReadOptions {
  signal?: AbortSignal
}

export interface BlockReader {
  /** The shape the UnixFS exporter reads from. */
  get(cid: CID, options?: ReadOptions): AsyncGenerator<Uint8Array>
  /** The whole block. */
  block(cid: CID, options?: ReadOptions): Promise<Uint8Array>
  /** Whether the block is in the local store, without asking the network. */
  has(cid: CID, options?: ReadOptions): Promise<boolean>
}

export interface BlockReaderInit {
  /** Read only the local store (a non-recursive gateway). */
  offline: boolean
  /** Called with each block read, in order; used to record the blocks of a path walk. */
  onBlock?: (cid: CID, bytes: Uint8Array) => void
}

export function blockReader(blockstore: Blocks, init: BlockReaderInit): BlockReader {
  const block = async (cid: CID, options: ReadOptions = {}): Promise<Uint8Array> => {
    const chunks: Uint8Array[] = []
    try {
      for await (const chunk of blockstore.get(cid, { signal: options.signal, offline: init.offline })) chunks.push(chunk)
    } catch (err) {
      // An abort shows up as whatever the store threw; report the reason the request stopped.
      options.signal?.throwIfAborted()
      if (err instanceof Error && NOT_HERE.has(err.name)) throw new MissingBlockError(cid, { cause: err })
      throw err
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    init.onBlock?.(cid, bytes)
    return bytes
  }
  return {
    block,
    async *get(cid, options) {
      yield await block(cid, options)
    },
    async has(cid, options = {}) {
      return await blockstore.has(cid, { signal: options.signal })
    },
  }
}
