/**
 * The on-disk format of the pack blockstore. Blocks are appended to pack files as
 * records; an index snapshot maps each multihash to its record. Everything a crash can
 * leave half-written (a record's tail, a snapshot) is detectable from these bytes alone.
 *
 * Pack file:  MAGIC(8) then records.
 * Record:     kind u8 | cid length u8 | reserved u16 | data length u32 LE | cid | data
 */

export const PACK_MAGIC = new TextEncoder().encode('IPBPACK1')
export const RECORD_HEADER_BYTES = 8
export const KIND_BLOCK = 1
/** Records a deletion, so that replaying the log after a crash does not resurrect the block. */
export const KIND_TOMBSTONE = 2

/** Pack files are rotated past this size so a future compaction can rewrite one at a time. */
export const PACK_FILE_MAX_BYTES = 256 * 1024 * 1024

/** The largest block accepted; bitswap and gateways refuse blocks over 2 MiB anyway. */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024

export function packFileName(id: number): string {
  return `pack-${String(id).padStart(6, '0')}.ipb`
}

export function parsePackFileName(name: string): number | undefined {
  const match = /^pack-(\d{6})\.ipb$/.exec(name)
  return match === null ? undefined : Number(match[1])
}

export function encodeRecordHeader(kind: number, cid: Uint8Array, dataLength: number): Uint8Array {
  const header = new Uint8Array(RECORD_HEADER_BYTES + cid.byteLength)
  const view = new DataView(header.buffer)
  view.setUint8(0, kind)
  view.setUint8(1, cid.byteLength)
  view.setUint32(4, dataLength, true)
  header.set(cid, RECORD_HEADER_BYTES)
  return header
}

export interface RecordHeader {
  kind: number
  cidLength: number
  dataLength: number
}

/** Undefined when the bytes cannot be the start of a record (garbage or a torn write). */
export function decodeRecordHeader(bytes: Uint8Array): RecordHeader | undefined {
  if (bytes.byteLength < RECORD_HEADER_BYTES) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, RECORD_HEADER_BYTES)
  const kind = view.getUint8(0)
  const cidLength = view.getUint8(1)
  const dataLength = view.getUint32(4, true)
  if (kind !== KIND_BLOCK && kind !== KIND_TOMBSTONE) return undefined
  if (view.getUint16(2, true) !== 0 || cidLength < 2) return undefined
  if (dataLength > MAX_BLOCK_BYTES || (kind === KIND_TOMBSTONE && dataLength !== 0)) return undefined
  return { kind, cidLength, dataLength }
}
