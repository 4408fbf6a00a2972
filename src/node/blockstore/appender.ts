/**
 * The append side of the store: which pack file takes new records, rotating to a new
 * one past PACK_FILE_MAX_BYTES, and how long each pack is. Appending is synchronous when
 * the writer has room; otherwise the caller waits (`waitForRoom`) and tries again, which
 * is the store's back-pressure: however fast blocks come, at most two write buffers of
 * them are held.
 */
import { open as openCallback } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PACK_FILE_MAX_BYTES, PACK_MAGIC, packFileName, RECORD_HEADER_BYTES } from './format.ts'
import type { PackReader } from './reader.ts'
import type { IndexEntry } from './snapshot.ts'
import { PackWriter } from './writer.ts'

const openAsync = promisify(openCallback)

export class PackAppender {
  /** Pack id → valid length, in id order. */
  readonly packs: Map<number, number>
  private readonly dir: string
  private readonly sync: boolean
  private readonly reader: PackReader
  private writer: PackWriter | undefined
  private rotating: Promise<PackWriter> | undefined

  constructor(dir: string, packs: Map<number, number>, sync: boolean, reader: PackReader) {
    this.dir = dir
    this.packs = packs
    this.sync = sync
    this.reader = reader
  }

  /** The pack that `tryAppend` writes to. */
  get pack(): number | undefined {
    return this.writer?.id
  }

  /** Appends a record if there is room right now: the offset of its data, else undefined. */
  tryAppend(kind: number, cid: Uint8Array, data: Uint8Array | undefined): number | undefined {
    const writer = this.writer
    const size = recordBytes(cid, data)
    if (writer === undefined || writer.length >= PACK_FILE_MAX_BYTES || !writer.hasRoom(size)) return undefined
    return writer.appendRecord(kind, cid, data)
  }

  /** Waits until a record of `bytes` could fit; others may take the room meanwhile. */
  async waitForRoom(cid: Uint8Array, data: Uint8Array | undefined): Promise<void> {
    const writer = this.writer
    if (writer !== undefined && writer.length < PACK_FILE_MAX_BYTES) return writer.makeRoom(recordBytes(cid, data))
    // Concurrent puts that all see a full pack must open one new pack, not one each.
    this.rotating ??= this.rotate().finally(() => {
      this.rotating = undefined
    })
    await this.rotating
  }

  /** A copy of a block still in the write buffers (a fresh put), or undefined. */
  readBuffered(entry: IndexEntry): Uint8Array | undefined {
    return entry.pack === this.writer?.id ? this.writer.readBuffered(entry.offset, entry.length) : undefined
  }

  async flush(): Promise<void> {
    if (this.writer === undefined) return
    await this.writer.flush()
    this.packs.set(this.writer.id, this.writer.length)
  }

  async close(): Promise<void> {
    await this.writer?.close()
  }

  private async rotate(): Promise<PackWriter> {
    await this.flush()
    const last = [...this.packs].at(-1)
    const reuse = this.writer === undefined && last !== undefined && last[1] < PACK_FILE_MAX_BYTES
    const id = reuse ? last[0] : (last?.[0] ?? 0) + 1
    const fd = await openAsync(join(this.dir, packFileName(id)), reuse ? 'r+' : 'w+')
    this.writer = new PackWriter(id, fd, reuse ? last[1] : 0, this.sync, this.writer)
    if (!reuse) this.writer.appendRaw(PACK_MAGIC)
    this.packs.set(id, this.writer.length)
    this.reader.adopt(id, fd)
    return this.writer
  }
}

function recordBytes(cid: Uint8Array, data: Uint8Array | undefined): number {
  return RECORD_HEADER_BYTES + cid.byteLength + (data?.byteLength ?? 0)
}
