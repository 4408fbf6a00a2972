import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as dagPb from '@ipld/dag-pb'
import type { Blockstore } from 'interface-blockstore'
import { exporter } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { readBlock } from '../../src/pack/walk.ts'

export const repoRoot = new URL('../../', import.meta.url).pathname

/** A fresh temporary folder, removed when the test that asked for it ends. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix = 'pack-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The CID a directory links under `name`. */
export async function linkCid(blockstore: Pick<Blockstore, 'get'>, dir: CID, name: string): Promise<CID> {
  const node = dagPb.decode(await readBlock(blockstore, dir))
  const link = node.Links.find((l) => l.Name === name)
  if (link === undefined) throw new Error(`no link ${name} in ${dir}`)
  return link.Hash
}

/** Every path under a directory CID (HAMTs included), with its UnixFS type. */
export async function listTree(blockstore: Pick<Blockstore, 'get'>, root: CID, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const entry = await exporter(root, blockstore)
  if (entry.type !== 'directory') throw new Error(`${root} is not a directory`)
  for await (const child of entry.entries()) {
    const path = prefix === '' ? child.name : `${prefix}/${child.name}`
    const inner = await exporter(child.cid, blockstore)
    const type = inner.type === 'directory' ? 'directory' : inner.type === 'file' ? inner.unixfs.type : inner.type
    out.set(path, type)
    if (inner.type === 'directory') for (const [p, t] of await listTree(blockstore, child.cid, path)) out.set(p, t)
  }
  return out
}

/** Deterministic pseudo-random bytes, so fixtures have real-looking, distinct content. */
export function bytesFor(label: string, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = 2166136261
  for (const c of label) x = Math.imul(x ^ c.charCodeAt(0), 16777619)
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
