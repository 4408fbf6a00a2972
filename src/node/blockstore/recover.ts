/**
 * Brings the store to a state that can be trusted when it is opened: the index
 * snapshot is used only if it is intact and every pack still holds what it says, and
 * whatever was appended after it (the whole run of a killed process) is replayed with
 * every block hash-checked. A torn or corrupt tail is cut off.
 */
import { readdir, stat, truncate, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { KIND_BLOCK, PACK_MAGIC, packFileName, parsePackFileName } from './format.ts'
import { scanPack } from './scan.ts'
import { type IndexEntry, keyOf, readSnapshot, SNAPSHOT_FILE } from './snapshot.ts'

export interface RecoveryReport {
  /** The snapshot was missing or could not be trusted: every pack was replayed. */
  fullScan: boolean
  /** Records replayed (and hash-checked) after the snapshot. */
  replayed: number
  /** Pack files cut back to their last valid record, with the bytes dropped. */
  truncated: { file: string; bytes: number }[]
}

export interface RecoveredState {
  entries: Map<string, IndexEntry>
  /** Pack id → valid length, in id order. */
  packs: Map<number, number>
  report: RecoveryReport
}

export async function recover(dir: string): Promise<RecoveredState> {
  const ids = (await readdir(dir))
    .map(parsePackFileName)
    .filter((id): id is number => id !== undefined)
    .sort((a, b) => a - b)
  const sizes = new Map<number, number>()
  for (const id of ids) sizes.set(id, (await stat(join(dir, packFileName(id)))).size)

  const snapshot = await readSnapshot(join(dir, SNAPSHOT_FILE))
  const consistent =
    snapshot !== undefined &&
    [...snapshot.packs].every(([id, length]) => (sizes.get(id) ?? -1) >= length)
  const entries = consistent ? snapshot.entries : new Map<string, IndexEntry>()
  const report: RecoveryReport = { fullScan: !consistent && ids.length > 0, replayed: 0, truncated: [] }
  const packs = new Map<number, number>()

  for (const id of ids) {
    const file = join(dir, packFileName(id))
    const covered = consistent ? (snapshot.packs.get(id) ?? 0) : 0
    const size = sizes.get(id) ?? 0
    if (covered === size && covered >= PACK_MAGIC.byteLength) {
      packs.set(id, size)
      continue
    }
    const result = await scanPack(file, covered, (record) => {
      const key = keyOf(record.cid)
      if (record.kind === KIND_BLOCK) {
        entries.set(key, { pack: id, offset: record.offset, length: record.length, cid: record.cidBytes })
      } else {
        entries.delete(key)
      }
    })
    report.replayed += result.records
    if (result.validEnd < PACK_MAGIC.byteLength) {
      // Not even a pack header survived: nothing in it was ever indexed.
      await unlink(file)
      report.truncated.push({ file, bytes: result.fileLength })
      continue
    }
    if (result.validEnd < result.fileLength) {
      await truncate(file, result.validEnd)
      report.truncated.push({ file, bytes: result.fileLength - result.validEnd })
    }
    packs.set(id, result.validEnd)
  }
  return { entries, packs, report }
}
