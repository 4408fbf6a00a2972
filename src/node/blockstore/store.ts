/**
 * The embedded node's persistent blockstore: blocks appended to a few large pack files
 * with an in-memory index (see format.ts, recover.ts). One file per block (blockstore-fs)
 * spends most of a pack in the kernel creating files; appending is bounded by the disk.
 */
import { close as closeCallback, open as openCallback, read } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { AbortOptions } from 'abort-error'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import { StoreError } from '../../errors.ts'
import { encodeRecordHeader, KIND_BLOCK, KIND_TOMBSTONE, MAX_BLOCK_BYTES, PACK_FILE_MAX_BYTES, PACK_MAGIC, packFileName } from './format.ts'
import { acquireLock, LOCK_FILE, type Lock } from './lock.ts'
import { type RecoveryReport, recover } from './recover.ts'
import { type IndexEntry, keyOf, SNAPSHOT_FILE, writeSnapshot } from './snapshot.ts'
import { hashMatches } from './verify.ts'
import { PackWriter } from './writer.ts'

const openAsync = promisify(openCallback)
const readAsync = promisify(read)
const closeAsync = promisify(closeCallback)

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
  private readonly packs: Map<number, number>
  private readonly readFds = new Map<number, number>()
  private readonly verifyOnRead: boolean
  private readonly sync: boolean
  private readonly lock: Lock
  private writer: PackWriter | undefined
  private rotating: Promise<PackWriter> | undefined
  private closed = false

  private constructor(init: Required<PackBlockstoreInit>, state: Awaited<ReturnType<typeof recover>>, lock: Lock) {
    this.path = init.path
    this.sync = init.sync
    this.verifyOnRead = init.verifyOnRead
    this.entries = state.entries
    this.packs = state.packs
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
    if (this.closed) throw new StoreError(`the block store ${this.path} is closed`)
    const id = keyOf(key)
    // Content addressing: a block already stored is never written again.
    if (this.entries.has(id)) return key
    const bytes = value instanceof Uint8Array ? value : await concat(value)
    if (this.entries.has(id)) return key
    if (bytes.byteLength > MAX_BLOCK_BYTES) throw new StoreError(`block ${key} is ${bytes.byteLength} bytes, over the ${MAX_BLOCK_BYTES}-byte limit`)
    const writer = this.writer !== undefined && this.writer.length < PACK_FILE_MAX_BYTES ? this.writer : await this.writable()
    // Another put of the same block may have landed while this one waited.
    if (this.entries.has(id)) return key
    const header = encodeRecordHeader(KIND_BLOCK, key.bytes, bytes.byteLength)
    const entry: IndexEntry = { pack: writer.id, offset: 0, length: bytes.byteLength, cid: key.bytes, pending: bytes }
    entry.offset = writer.append([header, bytes], entry) + header.byteLength
    this.entries.set(id, entry)
    await writer.backpressure()
    return key
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
    const entry = this.entries.get(keyOf(key))
    if (entry === undefined) throw new NotFoundError(`block ${key} is not in the store`)
    if (entry.pending !== undefined) return entry.pending
    const fd = await this.readFd(entry.pack)
    const bytes = new Uint8Array(entry.length)
    const { bytesRead } = await readAsync(fd, bytes, 0, entry.length, entry.offset)
    if (bytesRead !== entry.length || (this.verifyOnRead && !hashMatches(key, bytes))) {
      throw new StoreError(`block ${key} in ${join(this.path, packFileName(entry.pack))} is damaged; run the pack again to store it anew`)
    }
    return bytes
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
    const writer = await this.writable()
    writer.append([encodeRecordHeader(KIND_TOMBSTONE, key.bytes, 0)])
    this.entries.delete(id)
    await writer.backpressure()
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
    return { blocks: this.entries.size, bytes, packs: this.packs.size }
  }

  /** Writes what is buffered and a fresh index snapshot: after this, nothing needs replaying. */
  async flush(): Promise<void> {
    if (this.writer !== undefined) {
      await this.writer.flush()
      this.packs.set(this.writer.id, this.writer.length)
    }
    await writeSnapshot(join(this.path, SNAPSHOT_FILE), { packs: this.packs, entries: this.entries })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      await this.flush()
      await this.writer?.close()
    } finally {
      for (const [id, fd] of this.readFds) if (id !== this.writer?.id) await closeAsync(fd)
      this.readFds.clear()
      await this.lock.release()
    }
  }

  private async writable(): Promise<PackWriter> {
    if (this.closed) throw new StoreError(`the block store ${this.path} is closed`)
    if (this.writer !== undefined && this.writer.length < PACK_FILE_MAX_BYTES) return this.writer
    // Concurrent puts that all see a full pack must open one new pack, not one each.
    this.rotating ??= this.rotate().finally(() => {
      this.rotating = undefined
    })
    return this.rotating
  }

  private async rotate(): Promise<PackWriter> {
    if (this.writer !== undefined) {
      await this.writer.flush()
      this.packs.set(this.writer.id, this.writer.length)
    }
    const last = [...this.packs].at(-1)
    const reuse = this.writer === undefined && last !== undefined && last[1] < PACK_FILE_MAX_BYTES
    const id = reuse ? last[0] : (last?.[0] ?? 0) + 1
    const fd = await openAsync(join(this.path, packFileName(id)), reuse ? 'r+' : 'w+')
    this.writer = new PackWriter(id, fd, reuse ? last[1] : 0, this.sync)
    if (!reuse) this.writer.append([PACK_MAGIC])
    this.packs.set(id, this.writer.length)
    this.readFds.set(id, fd)
    return this.writer
  }

  private async readFd(pack: number): Promise<number> {
    let fd = this.readFds.get(pack)
    if (fd === undefined) {
      fd = await openAsync(join(this.path, packFileName(pack)), 'r')
      this.readFds.set(pack, fd)
    }
    return fd
  }
}

async function concat(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts)
}
