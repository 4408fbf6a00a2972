/**
 * The `storacha` target's upload records: for each upload it made, the sharded DAG index it
 * registered with the service (the same bytes), as `<dir>/<root>.car`. The next deploy
 * reads the previous one's record to know in which shard, at which bytes, each old block
 * sits, without fetching anything back. A record is a cache: losing one, or finding it
 * unreadable, only means the next upload sends more (see storacha-layout.ts).
 *
 * Records are keyed by root alone, not by space or target: a shard's CID is the hash of its
 * bytes, so a record is right wherever the upload it describes lists the same shards, and
 * it is only used after the service says it does.
 */
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CID } from 'multiformats/cid'
import { STORACHA_RECORDS_KEPT } from '../constants.ts'

const SUFFIX = '.car'

function recordFile(dir: string, root: CID): string {
  return join(dir, `${root.toString()}${SUFFIX}`)
}

/** The record for `root`, refreshed so pruning keeps what deploys build on; undefined when there is none. */
export async function readRecord(dir: string, root: CID): Promise<Uint8Array | undefined> {
  const file = recordFile(dir, root)
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  const now = new Date()
  await utimes(file, now, now).catch(() => {})
  return bytes
}

/**
 * Writes the record for `root` through a temporary file renamed into place (a torn record
 * never carries the final name), then drops all but the newest STORACHA_RECORDS_KEPT.
 */
export async function writeRecord(dir: string, root: CID, index: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true })
  const file = recordFile(dir, root)
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    await writeFile(tmp, index)
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
  await prune(dir)
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX))
  if (names.length <= STORACHA_RECORDS_KEPT) return
  const dated = await Promise.all(
    names.map(async (name) => ({ name, mtimeMs: await stat(join(dir, name)).then((s) => s.mtimeMs, () => 0) })),
  )
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs)
  await Promise.all(dated.slice(STORACHA_RECORDS_KEPT).map((r) => rm(join(dir, r.name), { force: true })))
}
