/**
 * The index snapshot: which record holds each block, and how far into each pack file
 * the snapshot reaches. Anything past that length is replayed (and hash-checked) on
 * open. Written to a temporary file and renamed, with a trailing sha256 so a torn or
 * tampered snapshot is ignored rather than trusted.
 */
import { createHash } from 'node:crypto'
import { open, readFile, rename } from 'node:fs/promises'
import { CID } from 'multiformats/cid'

const SNAPSHOT_MAGIC = Buffer.from('IPBIDX01')
const CHECKSUM_BYTES = 32
export const SNAPSHOT_FILE = 'index'

export interface IndexEntry {
  pack: number
  /** Where the block's bytes start in the pack file. */
  offset: number
  length: number
  cid: Uint8Array
}

export interface Snapshot {
  /** Pack id → bytes of that pack the entries account for. */
  packs: Map<number, number>
  entries: Map<string, IndexEntry>
}

/** The index key of a block: its multihash, so one block stored under CIDv0 and v1 is one entry. */
export function keyOf(cid: CID): string {
  const mh = cid.multihash.bytes
  return Buffer.from(mh.buffer, mh.byteOffset, mh.byteLength).toString('latin1')
}

export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  let size = SNAPSHOT_MAGIC.byteLength + 4 + snapshot.packs.size * 12 + 4 + CHECKSUM_BYTES
  for (const entry of snapshot.entries.values()) size += 1 + entry.cid.byteLength + 16
  const buf = Buffer.alloc(size)
  let at = SNAPSHOT_MAGIC.copy(buf, 0)
  at = buf.writeUInt32LE(snapshot.packs.size, at)
  for (const [id, length] of snapshot.packs) {
    at = buf.writeUInt32LE(id, at)
    at = buf.writeDoubleLE(length, at)
  }
  at = buf.writeUInt32LE(snapshot.entries.size, at)
  for (const entry of snapshot.entries.values()) {
    at = buf.writeUInt8(entry.cid.byteLength, at)
    buf.set(entry.cid, at)
    at += entry.cid.byteLength
    at = buf.writeUInt32LE(entry.pack, at)
    at = buf.writeDoubleLE(entry.offset, at)
    at = buf.writeUInt32LE(entry.length, at)
  }
  createHash('sha256').update(buf.subarray(0, at)).digest().copy(buf, at)
  const tmp = `${path}.tmp`
  const handle = await open(tmp, 'w')
  try {
    await handle.writeFile(buf)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  await rename(tmp, path)
}

/** Undefined when there is no snapshot or it cannot be trusted: the caller rescans the packs. */
export async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch {
    return undefined
  }
  if (buf.byteLength < SNAPSHOT_MAGIC.byteLength + 8 + CHECKSUM_BYTES) return undefined
  if (!buf.subarray(0, SNAPSHOT_MAGIC.byteLength).equals(SNAPSHOT_MAGIC)) return undefined
  const body = buf.subarray(0, buf.byteLength - CHECKSUM_BYTES)
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(body.byteLength))) return undefined
  try {
    return parse(body)
  } catch {
    return undefined
  }
}

function parse(buf: Buffer): Snapshot {
  let at = SNAPSHOT_MAGIC.byteLength
  const packs = new Map<number, number>()
  const packCount = buf.readUInt32LE(at)
  at += 4
  for (let i = 0; i < packCount; i++) {
    packs.set(buf.readUInt32LE(at), buf.readDoubleLE(at + 4))
    at += 12
  }
  const entries = new Map<string, IndexEntry>()
  const count = buf.readUInt32LE(at)
  at += 4
  for (let i = 0; i < count; i++) {
    const cidLength = buf.readUInt8(at)
    const cid = Uint8Array.prototype.slice.call(buf, at + 1, at + 1 + cidLength)
    at += 1 + cidLength
    const entry = { cid, pack: buf.readUInt32LE(at), offset: buf.readDoubleLE(at + 4), length: buf.readUInt32LE(at + 12) }
    at += 16
    entries.set(keyOf(CID.decode(cid)), entry)
  }
  if (at !== buf.byteLength) throw new RangeError('trailing bytes in index snapshot')
  return { packs, entries }
}
