/**
 * The blocks known to have their whole DAG in the local store: every block a finished pin
 * walked, and after a garbage collection every block it kept. A pin walks only the blocks
 * outside this set, so pinning a site that differs from a pinned one by a post reads a
 * handful of blocks instead of every block of the site.
 *
 * Why it stays true: a block enters only once the walk below it found every block; blocks
 * leave the store only through garbage collection, which rewrites the set to what it kept;
 * and a store whose tail was cut off by recovery after a crash starts with an empty set.
 * Kept as one datastore value (about 35 bytes a block), loaded on the first pin.
 */
import type { AbortOptions } from '@libp2p/interface'
import { Key } from 'interface-datastore'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import { multihashKey } from '../pack/walk.ts'

const COMPLETE_KEY = new Key('/ipfs-publish/complete-blocks')
const FORMAT_VERSION = 1
const IDENTITY_HASH = 0x00
const MAX_KEY_BYTES = 255

export class CompleteBlocks {
  private readonly datastore: Datastore
  private loaded: Promise<Set<string>> | undefined
  /** Writes in order: each waits for the one before, so the last state is the one stored. */
  private saving: Promise<void> = Promise.resolve()

  constructor(datastore: Datastore) {
    this.datastore = datastore
  }

  /** The set, by `multihashKey`, as stored; read once, then kept in memory and updated with every change. */
  load(options: AbortOptions = {}): Promise<ReadonlySet<string>> {
    this.loaded ??= this.read(options).catch((err: unknown) => {
      this.loaded = undefined
      throw err
    })
    return this.loaded
  }

  /** Adds the blocks of a DAG whose walk just found every block. */
  async add(cids: Iterable<CID>, options: AbortOptions = {}): Promise<void> {
    const set = (await this.load(options)) as Set<string>
    const before = set.size
    for (const cid of cids) {
      // Identity CIDs carry their block and are never stored; the format holds keys up to 255 bytes.
      if (cid.multihash.code !== IDENTITY_HASH && cid.multihash.bytes.byteLength <= MAX_KEY_BYTES) set.add(multihashKey(cid))
    }
    if (set.size !== before) await this.save(set, options)
  }

  /** Sets the whole set: what a garbage collection kept, or nothing. */
  async replace(keys: Iterable<string>, options: AbortOptions = {}): Promise<void> {
    const set = new Set<string>()
    for (const key of keys) if (key.length <= MAX_KEY_BYTES) set.add(key)
    this.loaded = Promise.resolve(set)
    await this.save(set, options)
  }

  private async read(options: AbortOptions): Promise<Set<string>> {
    let value: Uint8Array
    try {
      value = await this.datastore.get(COMPLETE_KEY, options)
    } catch (err) {
      if ((err as Error).name === 'NotFoundError') return new Set()
      throw err
    }
    return decode(value) ?? new Set()
  }

  private save(set: ReadonlySet<string>, options: AbortOptions): Promise<void> {
    const value = encode(set)
    const next = this.saving.then(async () => {
      await this.datastore.put(COMPLETE_KEY, value, options)
    })
    // A failed write must not block the next one; the caller sees its own failure.
    this.saving = next.catch(() => {})
    return next
  }
}

function encode(set: ReadonlySet<string>): Uint8Array {
  let size = 1
  for (const key of set) size += 1 + key.length
  const out = Buffer.allocUnsafe(size)
  let at = out.writeUInt8(FORMAT_VERSION, 0)
  for (const key of set) {
    at = out.writeUInt8(key.length, at)
    at += out.write(key, at, 'latin1')
  }
  return out
}

/** The stored set, or undefined for a value this version cannot read (then nothing is assumed). */
function decode(value: Uint8Array): Set<string> | undefined {
  const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (buf.byteLength === 0 || buf[0] !== FORMAT_VERSION) return undefined
  const set = new Set<string>()
  let at = 1
  while (at < buf.byteLength) {
    const length = buf[at] as number
    const end = at + 1 + length
    if (length === 0 || end > buf.byteLength) return undefined
    set.add(buf.toString('latin1', at + 1, end))
    at = end
  }
  return set
}
