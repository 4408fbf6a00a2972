/**
 * Replays the records of a pack file from an offset, checking that every block hashes
 * to its CID. Stops at the first record that is torn, garbage or does not match: a
 * process killed mid-write leaves exactly that, and nothing after it can be trusted.
 */
import { open } from 'node:fs/promises'
import { CID } from 'multiformats/cid'
import { decodeRecordHeader, KIND_BLOCK, MAX_BLOCK_BYTES, PACK_MAGIC, RECORD_HEADER_BYTES } from './format.ts'
import { hashMatches } from './verify.ts'

/** Large sequential reads: a full rescan is bounded by the disk, not by syscalls. */
const SCAN_READ_BYTES = 16 * 1024 * 1024

export interface ScannedRecord {
  kind: number
  cid: CID
  cidBytes: Uint8Array
  /** Offset of the block's bytes in the pack file. */
  offset: number
  length: number
}

export interface ScanResult {
  /** Everything before this offset is valid; the file should be truncated here. */
  validEnd: number
  /** The file's length before any truncation. */
  fileLength: number
  records: number
}

export async function scanPack(
  path: string,
  from: number,
  onRecord: (record: ScannedRecord) => void,
): Promise<ScanResult> {
  const handle = await open(path, 'r')
  try {
    const fileLength = (await handle.stat()).size
    const magic = Buffer.alloc(PACK_MAGIC.byteLength)
    await handle.read(magic, 0, magic.byteLength, 0)
    if (fileLength < PACK_MAGIC.byteLength || !magic.equals(PACK_MAGIC)) return { validEnd: 0, fileLength, records: 0 }
    let at = Math.max(from, PACK_MAGIC.byteLength)
    let records = 0
    const chunk = Buffer.allocUnsafe(Math.max(SCAN_READ_BYTES, 2 * (MAX_BLOCK_BYTES + 512)))
    let chunkStart = at
    let chunkLength = 0
    while (at < fileLength) {
      // Refill so that the longest possible record starting at `at` is in the buffer.
      if (at + RECORD_HEADER_BYTES + 255 + MAX_BLOCK_BYTES > chunkStart + chunkLength && chunkStart + chunkLength < fileLength) {
        chunkStart = at
        chunkLength = (await handle.read(chunk, 0, chunk.byteLength, at)).bytesRead
      }
      const local = at - chunkStart
      const header = decodeRecordHeader(chunk.subarray(local, Math.min(local + RECORD_HEADER_BYTES, chunkLength)))
      if (header === undefined) break
      const cidStart = local + RECORD_HEADER_BYTES
      const dataStart = cidStart + header.cidLength
      const end = dataStart + header.dataLength
      if (end > chunkLength) break
      // A copy: the read buffer is reused, and the CID outlives it.
      const cidBytes = Uint8Array.prototype.slice.call(chunk, cidStart, dataStart)
      let cid: CID
      try {
        cid = CID.decode(cidBytes)
      } catch {
        break
      }
      if (header.kind === KIND_BLOCK && !hashMatches(cid, chunk.subarray(dataStart, end))) break
      onRecord({ kind: header.kind, cid, cidBytes, offset: chunkStart + dataStart, length: header.dataLength })
      records++
      at = chunkStart + end
    }
    return { validEnd: Math.min(at, fileLength), fileLength, records }
  } finally {
    await handle.close()
  }
}
