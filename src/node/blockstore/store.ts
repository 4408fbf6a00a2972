/**
 * The embedded node's persistent blockstore: blocks appended to a few large pack files
 * with an in-memory index (see format.ts, recover.ts). One file per block (blockstore-fs)
 * spends most of a pack in the kernel creating files; appending is bounded by the disk.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AbortOptions } from 'abort-error'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import { StoreError } from '../../errors.ts'
import { PackAppender } from './appender.ts'
import { KIND_BLOCK, KIND_TOMBSTONE, MAX_BLOCK_BYTES } from './format.ts'
import { acquireLock, LOCK_FILE, type Lock } from './lock.ts'
import { type RecoveryReport, recover } from './recover.ts'
import { type IndexEntry, keyOf, SNAPSHOT_FILE, writeSnapshot } from './snapshot.ts'
import { PackReader } from './reader.ts'


export interface PackBlockstoreInit {
  /** The folder that holds the pack files, the index and the lock: `<store>/blocks`. */
  path: string
  /**
   * Flush writes to the disk (fdatasync) before the index that points at them. A killed
   * process is covered either way: what it wrote is in the page cache, and recovery
   * hash-checks everything after the last index. This guards against power cuts on
   * file systems that may extend a file before its data lands (ext4's default ordered
   * mode does not), at the price of waiting for the disk: 2.3 s -> 5.5 s to pack 1 GB
   * of media here.
   * @default false
   */
  sync?: boolean
  /** Hash-check every block read, not only the ones recovered after a crash. @default false */
  verifyOnRead?: boolean
}

export interface PackBlockstoreStats {
  blocks: number
  /** Bytes of block data indexed (not counting record headers or deleted blocks). */
  bytes: number
  packs: number
}

export class PackBlockstore implements Blockstore {
  readonly path: string
  /** What opening the store had to repair. */
  readonly recovery: RecoveryReport
  private readonly entries: Map<string, IndexEntry>
  private readonly files: PackAppender
  private readonly reader: PackReader
  private readonly lock: Lock
  private closed = false

  private constructor(init: Required<PackBlockstoreInit>, state: Awaited<ReturnType<typeof recover>>, lock: Lock) {
    this.path = init.path
    this.reader = new PackReader(init.path, init.verifyOnRead)
    this.files = new PackAppender(init.path, state.packs, init.sync, this.reader)
    this.entries = state.entries
    this.recovery = state.report
    this.lock = lock
  }

  static async open(init: PackBlockstoreInit): Promise<PackBlockstore> {
    const options = { sync: false, verifyOnRead: false, ...init }
    await mkdir(options.path, { recursive: true })
    const lock = await acquireLock(join(options.path, LOCK_FILE), options.path)
    try {
      const state = await recover(options.path)
      const store = new PackBlockstore(options, state, lock)
      // Make the repair itself durable, so a second crash does not redo it.
      if (state.report.replayed > 0 || state.report.truncated.length > 0) await store.flush()
      return store
    } catch (err) {
      await lock.release()
      throw err instanceof StoreError ? err : new StoreError(`could not open the block store ${options.path}: ${(err as Error).message}`, { cause: err })
    }
  }

  has(key: CID, options?: AbortOptions): boolean {
    options?.signal?.throwIfAborted()
    return this.entries.has(keyOf(key))
  }

  async put(key: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted()
    this.throwIfClosed()
    const id = keyOf(key)
    // Content addressing: a block already stored is never written again.
    if (this.entries.has(id)) return key
    const bytes = value instanceof Uint8Array ? value : await concat(value)
    if (bytes.byteLength > MAX_BLOCK_BYTES) throw new StoreError(`block ${key} is ${bytes.byteLength} bytes, over the ${MAX_BLOCK_BYTES}-byte limit`)
    const cid = key.bytes
    for (;;) {
      this.throwIfClosed()
      // Another put of the same block may have landed while this one waited.
      if (this.entries.has(id)) return key
      const offset = this.files.tryAppend(KIND_BLOCK, cid, bytes)
      if (offset !== undefined) {
        this.entries.set(id, { pack: this.files.pack as number, offset, length: bytes.byteLength, cid })
        return key
      }
      await this.files.waitForRoom(cid, bytes)
    }
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes, options)
  }

  async *get(key: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    yield await this.getBytes(key, options)
  }

  /** The whole block at once (what `get` yields as its only chunk). */
  async getBytes(key: CID, options?: AbortOptions): Promise<Uint8Array> {
    options?.signal?.throwIfAborted()
    const entry = this.entryOf(key)
    return this.files.readBuffered(entry) ?? this.reader.read(key, entry)
  }

  /** The size of a stored block; with `readInto`, for bulk exports such as a CAR. */
  blockLength(key: CID): number {
    return this.entryOf(key).length
  }

  /**
   * Reads a block synchronously into `target` at `offset`: a CAR export right after a
   * pack reads from the page cache, with no buffer per block. Servers should use `get`.
   */
  readInto(key: CID, target: Uint8Array, offset: number): void {
    const entry = this.entryOf(key)
    const buffered = this.files.readBuffered(entry)
    if (buffered !== undefined) target.set(buffered, offset)
    else this.reader.readInto(key, entry, target, offset)
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) }
  }

  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    for (const entry of [...this.entries.values()]) {
      options?.signal?.throwIfAborted()
      const cid = CID.decode(entry.cid)
      if (this.has(cid)) yield { cid, bytes: this.get(cid, options) }
    }
  }

  async delete(key: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted()
    const id = keyOf(key)
    if (!this.entries.has(id)) return
    for (;;) {
      this.throwIfClosed()
      if (!this.entries.has(id)) return
      if (this.files.tryAppend(KIND_TOMBSTONE, key.bytes, undefined) !== undefined) {
        this.entries.delete(id)
        return
      }
      await this.files.waitForRoom(key.bytes, undefined)
    }
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options)
      yield cid
    }
  }

  stats(): PackBlockstoreStats {
    let bytes = 0
    for (const entry of this.entries.values()) bytes += entry.length
    return { blocks: this.entries.size, bytes, packs: this.files.packs.size }
  }

  /** Writes what is buffered and a fresh index snapshot: after this, nothing needs replaying. */
  async flush(): Promise<void> {
    await this.files.flush()
    await writeSnapshot(join(this.path, SNAPSHOT_FILE), { packs: this.files.packs, entries: this.entries })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      await this.flush()
      await this.files.close()
    } finally {
      await this.reader.close(this.files.pack)
      await this.lock.release()
    }
  }

  private throwIfClosed(): void {
    if (this.closed) throw new StoreError(`the block store ${this.path} is closed`)
  }

  private entryOf(key: CID): IndexEntry {
    const entry = this.entries.get(keyOf(key))
    if (entry === undefined) throw new NotFoundError(`block ${key} is not in the store`)
    return entry
  }

}

async function concat(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts)
}
