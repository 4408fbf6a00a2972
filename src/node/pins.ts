/**
 * Pinning: a pin is recorded only after every block of its DAG is in the local store
 * (fetched from peers first when the node is online and that is allowed), so a listed
 * pin always means "this whole site can be served from here". Blocks a finished pin or a
 * collection found whole (complete.ts) are not walked again, so pinning the next version
 * of a site reads only the blocks that changed.
 */
import type { Blocks, CodecLoader } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import { NodeError, PinNameAmbiguousError, PinNotFoundError } from '../errors.ts'
import type { NodeProgressEvents, ProgressOptions } from '../events.ts'
import { multihashKey } from '../pack/walk.ts'
import type { CompleteBlocks } from './complete.ts'
import type { GcLock } from './gc-lock.ts'
import type { LocalPin, PinMetadata, PinRecords } from './pin-records.ts'
import { type BlockSource, walkDags } from './walk.ts'

export interface PinOptions extends AbortOptions, ProgressOptions<NodeProgressEvents> {
  /**
   * A label to find the pin by; pinning a pinned CID again replaces its name and metadata.
   * @default metadata.site, else ''
   */
  name?: string
  /** @default {} */
  metadata?: PinMetadata
  /**
   * Fail on the first block that is not in the local store instead of asking peers for it.
   * @default false (true when the node was started offline)
   */
  offline?: boolean
}

export interface PinsComponents {
  blocks: Blocks
  /** Blocks known to have their whole DAG here: a pin does not walk below them. */
  complete: CompleteBlocks
  records: PinRecords
  getCodec: CodecLoader
  lock: GcLock
  now: () => Date
  online: boolean
}

async function concat(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts)
}

/** Reads blocks through Helia, which asks connected peers over Bitswap for missing ones unless offline. */
function heliaSource(blocks: Blocks, offline: boolean): BlockSource {
  return {
    load: (cid, options) => concat(blocks.get(cid, { ...options, offline })),
    leaf: async (cid, options) => {
      if (!(await blocks.has(cid, options))) await concat(blocks.get(cid, { ...options, offline }))
    },
  }
}

export class LocalPins {
  private readonly components: PinsComponents

  constructor(components: PinsComponents) {
    this.components = components
  }

  async pin(cid: CID, options: PinOptions = {}): Promise<LocalPin> {
    const { blocks, records, getCodec, lock, now, online, complete } = this.components
    const offline = options.offline ?? !online
    const release = await lock.shared()
    try {
      let count = 0
      // A site that shares most of its DAG with a pinned one walks only what differs.
      const known = await complete.load(options)
      const walked: CID[] = []
      try {
        count = await walkDags([cid], heliaSource(blocks, offline), getCodec, {
          signal: options.signal,
          skip: (block) => known.has(multihashKey(block)),
          onBlock: (block, n) => {
            walked.push(block)
            options.onProgress?.({ type: 'node:pin:block', detail: { root: cid.toString(), cid: block.toString(), blocks: n } })
          },
        })
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        const why = offline ? 'a block is not in the local store' : 'a block could not be read or fetched'
        throw new NodeError(`cannot pin ${cid}: ${why} (${(err as Error).message})`, { cause: err })
      }
      const existing = await records.get(cid, options)
      const metadata = options.metadata ?? {}
      const pin: LocalPin = {
        cid,
        name: options.name ?? metadata.site ?? '',
        created: existing?.created ?? now().toISOString(),
        metadata,
      }
      await records.put(pin, options)
      await complete.add(walked, options)
      options.onProgress?.({ type: 'node:pin:done', detail: { cid: cid.toString(), name: pin.name, blocks: count } })
      return pin
    } finally {
      release()
    }
  }

  /** Removes the pin; its blocks stay until the next `gc()`. */
  async unpin(target: CID | string, options: AbortOptions = {}): Promise<LocalPin> {
    const release = await this.components.lock.shared()
    try {
      const pin = await this.find(target, options)
      await this.components.records.delete(pin.cid, options)
      return pin
    } finally {
      release()
    }
  }

  /** The pin of a CID, or the one pin with that name. */
  async find(target: CID | string, options: AbortOptions = {}): Promise<LocalPin> {
    const cid = typeof target === 'string' ? parseCid(target) : target
    if (cid !== undefined) {
      const pin = await this.components.records.get(cid, options)
      if (pin === undefined) throw new PinNotFoundError(`${cid} is not pinned locally (ipfs-publish pins lists the pins)`)
      return pin
    }
    const named = (await this.list(options)).filter((pin) => pin.name === target)
    if (named.length === 0) {
      throw new PinNotFoundError(`no local pin is named '${target}' (ipfs-publish pins lists the pins)`)
    }
    if (named.length > 1) {
      throw new PinNameAmbiguousError(
        `${named.length} local pins are named '${target}': ${named.map((p) => p.cid.toString()).join(', ')}; give the CID instead`,
      )
    }
    return named[0] as LocalPin
  }

  list(options: AbortOptions = {}): Promise<LocalPin[]> {
    return this.components.records.list(options)
  }
}

function parseCid(text: string): CID | undefined {
  try {
    return CID.parse(text)
  } catch {
    return undefined
  }
}
