/**
 * Reads blocks out of the pack files: one descriptor per pack, opened on first use.
 * Reads are async for the gateway and the node (a cold disk must not stall the event
 * loop), and also sync for bulk exports: a CAR of a site just packed is read from the
 * page cache, where a thread-pool round trip per block costs more than the read itself.
 */
import { close as closeCallback, open as openCallback, openSync, read, readSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { CID } from 'multiformats/cid'
import { StoreError } from '../../errors.ts'
import { packFileName } from './format.ts'
import type { IndexEntry } from './snapshot.ts'
import { hashMatches } from './verify.ts'

const openAsync = promisify(openCallback)
const readAsync = promisify(read)
const closeAsync = promisify(closeCallback)

export class PackReader {
  private readonly dir: string
  private readonly verify: boolean
  private readonly fds = new Map<number, number>()

  constructor(dir: string, verify: boolean) {
    this.dir = dir
    this.verify = verify
  }

  /** Reads through `fd` (the writer's) for pack `id`; the writer closes it. */
  adopt(id: number, fd: number): void {
    this.fds.set(id, fd)
  }

  async read(key: CID, entry: IndexEntry): Promise<Uint8Array> {
    let fd = this.fds.get(entry.pack)
    if (fd === undefined) {
      fd = await openAsync(join(this.dir, packFileName(entry.pack)), 'r')
      // Another read may have opened it meanwhile: keep one, close the other.
      const other = this.fds.get(entry.pack)
      if (other === undefined) this.fds.set(entry.pack, fd)
      else {
        await closeAsync(fd)
        fd = other
      }
    }
    const bytes = new Uint8Array(entry.length)
    const { bytesRead } = await readAsync(fd, bytes, 0, entry.length, entry.offset)
    return this.checked(key, entry, bytes, bytesRead)
  }

  readInto(key: CID, entry: IndexEntry, target: Uint8Array, offset: number): void {
    let fd = this.fds.get(entry.pack)
    if (fd === undefined) {
      fd = openSync(join(this.dir, packFileName(entry.pack)), 'r')
      this.fds.set(entry.pack, fd)
    }
    const bytesRead = readSync(fd, target, offset, entry.length, entry.offset)
    this.checked(key, entry, target.subarray(offset, offset + entry.length), bytesRead)
  }

  /** Closes every descriptor but the writer's (`except`). */
  async close(except: number | undefined): Promise<void> {
    for (const [id, fd] of this.fds) if (id !== except) await closeAsync(fd)
    this.fds.clear()
  }

  private checked(key: CID, entry: IndexEntry, bytes: Uint8Array, bytesRead: number): Uint8Array {
    if (bytesRead !== entry.length || (this.verify && !hashMatches(key, bytes))) {
      throw new StoreError(`block ${key} in ${join(this.dir, packFileName(entry.pack))} is damaged; run the pack again to store it anew`)
    }
    return bytes
  }
}
