/**
 * Block lists, `<store>/dags/<cid>.blocks`: every distinct block of a packed site with its
 * size, written when the site is packed. The next deploy measures what is new against the
 * previous root's list instead of walking both DAGs in the store. A list is a fact about
 * content (the same root always has the same blocks), so it never goes stale; a damaged or
 * missing one only means the next deploy walks the DAGs as before.
 *
 * Format: a magic line, then per block a length byte, the multihash and its size as a
 * 32-bit little-endian integer, then a SHA-256 of everything before it.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { DAG_BLOCKS_DIR, DEPLOY_RECORD_DIR } from '../constants.ts'

const MAGIC = Buffer.from('ipfs-publish dag blocks 1\n', 'latin1')
const CHECKSUM_BYTES = 32
const SUFFIX = '.blocks'

export type BlockSizes = ReadonlyMap<string, number>

export function dagBlocksPath(store: string, root: CID): string {
  return join(store, DAG_BLOCKS_DIR, `${root.toV1().toString()}${SUFFIX}`)
}

/** Writes the list of `root` (beside, then renamed over: a crash leaves no half list). */
export async function writeDagBlocks(store: string, root: CID, blocks: BlockSizes): Promise<void> {
  let size = MAGIC.byteLength + CHECKSUM_BYTES
  for (const key of blocks.keys()) size += 1 + key.length + 4
  const buf = Buffer.allocUnsafe(size)
  let at = MAGIC.copy(buf, 0)
  for (const [key, bytes] of blocks) {
    if (key.length > 255) return // an identity-sized key: not a list this format can hold
    at = buf.writeUInt8(key.length, at)
    at += buf.write(key, at, 'latin1')
    at = buf.writeUInt32LE(bytes, at)
  }
  createHash('sha256').update(buf.subarray(0, at)).digest().copy(buf, at)
  const file = dagBlocksPath(store, root)
  await mkdir(join(store, DAG_BLOCKS_DIR), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, buf)
  await rename(temp, file)
}

/** The list of `root`, or undefined when there is none or it is damaged. */
export async function readDagBlocks(store: string, root: CID): Promise<BlockSizes | undefined> {
  let buf: Buffer
  try {
    buf = await readFile(dagBlocksPath(store, root))
  } catch {
    return undefined
  }
  const end = buf.byteLength - CHECKSUM_BYTES
  if (end < MAGIC.byteLength || !buf.subarray(0, MAGIC.byteLength).equals(MAGIC)) return undefined
  if (!createHash('sha256').update(buf.subarray(0, end)).digest().equals(buf.subarray(end))) return undefined
  const blocks = new Map<string, number>()
  let at = MAGIC.byteLength
  while (at < end) {
    const length = buf[at] as number
    const keyEnd = at + 1 + length
    if (keyEnd + 4 > end) return undefined
    blocks.set(buf.toString('latin1', at + 1, keyEnd), buf.readUInt32LE(keyEnd))
    at = keyEnd + 4
  }
  return blocks
}

/** What `next` adds to `previous`: its blocks the other lacks, and their bytes. */
export function addedBlocks(previous: BlockSizes, next: BlockSizes): { newBlocks: number; newBytes: number } {
  let newBlocks = 0
  let newBytes = 0
  for (const [key, bytes] of next) {
    if (previous.has(key)) continue
    newBlocks++
    newBytes += bytes
  }
  return { newBlocks, newBytes }
}

/**
 * Removes the lists of roots no deploy record names any more (they fall out of the
 * history), keeping `keep`. Lists are only a shortcut, so a failure here is ignored.
 */
export async function sweepDagBlocks(store: string, keep: readonly string[]): Promise<void> {
  try {
    const wanted = new Set<string>()
    const want = (cid: unknown): void => {
      if (typeof cid === 'string') wanted.add(`${CID.parse(cid).toV1().toString()}${SUFFIX}`)
    }
    for (const cid of keep) want(cid)
    for (const name of await readdir(join(store, DEPLOY_RECORD_DIR))) {
      if (!name.endsWith('.json')) continue
      const record = JSON.parse(await readFile(join(store, DEPLOY_RECORD_DIR, name), 'utf8')) as {
        production?: Array<{ cid?: unknown }>
        previews?: Record<string, { cid?: unknown }>
      }
      for (const entry of [...(record.production ?? []), ...Object.values(record.previews ?? {})]) want(entry.cid)
    }
    for (const name of await readdir(join(store, DAG_BLOCKS_DIR))) {
      if (name.endsWith(SUFFIX) && !wanted.has(name)) await rm(join(store, DAG_BLOCKS_DIR, name), { force: true })
    }
  } catch {
    // A record that cannot be read keeps every list: better an extra file than a lost shortcut.
  }
}
