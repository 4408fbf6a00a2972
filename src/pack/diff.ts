/**
 * Compares two packed sites: which paths were added, removed or changed, and which
 * blocks the new DAG has that the old one lacks (what an upload must send). Subtrees
 * with the same CID are identical and skipped without being read.
 */
import { exporter } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as dagPb from '@ipld/dag-pb'
import { PackError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import { type BlockReader, readBlock } from './walk.ts'

export interface DiffOptions extends AbortOptions {
  /** Must hold both DAGs. */
  blockstore: BlockReader
}

export interface DiffResult {
  /** Files, symlinks and empty folders only in the new DAG, sorted. */
  added: string[]
  removed: string[]
  /** Same path, different content. */
  changed: string[]
  /** Blocks of the new DAG that the old one lacks, depth-first from the root. */
  newBlocks: CID[]
  newBytes: number
}

interface Node {
  cid: CID
  /** Children by name for a directory; undefined for a file or symlink. */
  children: Map<string, CID> | undefined
}

export async function diff(oldRoot: CID, newRoot: CID, options: DiffOptions): Promise<DiffResult> {
  const result: DiffResult = { added: [], removed: [], changed: [], newBlocks: [], newBytes: 0 }
  const load = (cid: CID, path: string, side: string) => loadNode(cid, options, `${side} ${path === '' ? '/' : path}`)
  await compare(await load(oldRoot, '', 'old'), await load(newRoot, '', 'new'), '', result, load, options.signal)
  for (const list of [result.added, result.removed, result.changed]) list.sort()
  const oldBlocks = await collectBlocks(oldRoot, options, 'old')
  await newBlocksOf(newRoot, oldBlocks, options, result)
  return result
}

type Loader = (cid: CID, path: string, side: string) => Promise<Node>

async function compare(before: Node | undefined, after: Node | undefined, path: string, out: DiffResult, load: Loader, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()
  if (before !== undefined && after !== undefined && before.cid.equals(after.cid)) return
  if (before?.children !== undefined && after?.children !== undefined) {
    const names = new Set([...before.children.keys(), ...after.children.keys()])
    for (const name of names) {
      const child = path === '' ? name : `${path}/${name}`
      const a = before.children.get(name)
      const b = after.children.get(name)
      if (a !== undefined && b !== undefined && a.equals(b)) continue
      await compare(a && (await load(a, child, 'old')), b && (await load(b, child, 'new')), child, out, load, signal)
    }
    if (before.children.size > 0 && after.children.size === 0 && path !== '') out.added.push(path)
    if (after.children.size > 0 && before.children.size === 0 && path !== '') out.removed.push(path)
    return
  }
  if (before?.children === undefined && after?.children === undefined) {
    if (before !== undefined && after !== undefined) out.changed.push(path)
    else if (after !== undefined) out.added.push(path)
    else if (before !== undefined) out.removed.push(path)
    return
  }
  // A file became a folder or the reverse: everything on each side counts.
  if (before !== undefined) await leaves(before, path, out.removed, load, 'old')
  if (after !== undefined) await leaves(after, path, out.added, load, 'new')
}

async function leaves(node: Node, path: string, into: string[], load: Loader, side: string): Promise<void> {
  if (node.children === undefined || node.children.size === 0) {
    into.push(path)
    return
  }
  for (const [name, cid] of node.children) {
    const child = path === '' ? name : `${path}/${name}`
    await leaves(await load(cid, child, side), child, into, load, side)
  }
}

async function loadNode(cid: CID, options: DiffOptions, where: string): Promise<Node> {
  try {
    const entry = await exporter(cid, options.blockstore, { signal: options.signal })
    if (entry.type !== 'directory') return { cid, children: undefined }
    const children = new Map<string, CID>()
    for await (const child of entry.entries({ signal: options.signal })) children.set(child.name, child.cid)
    return { cid, children }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new PackError(`${where} (${cid}): cannot be read from the block store: ${(err as Error).message}`, { cause: err })
  }
}

/** Every block of a DAG. Raw leaves are known from their parents' links and not read. */
async function collectBlocks(root: CID, options: DiffOptions, side: string): Promise<Set<string>> {
  const seen = new Set<string>()
  const stack = [root]
  for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    if (cid.code === raw.code) continue
    const bytes = await readSide(cid, options, side)
    for (const link of dagPb.decode(bytes).Links) stack.push(link.Hash)
  }
  return seen
}

async function newBlocksOf(root: CID, old: Set<string>, options: DiffOptions, out: DiffResult): Promise<void> {
  const seen = new Set<string>()
  // A raw leaf's size is its parent link's Tsize, so leaves are counted without reading them.
  const stack: { cid: CID; size: number | undefined }[] = [{ cid: root, size: undefined }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    options.signal?.throwIfAborted()
    const key = item.cid.toString()
    if (seen.has(key) || old.has(key)) continue
    seen.add(key)
    out.newBlocks.push(item.cid)
    if (item.cid.code === raw.code && item.size !== undefined) {
      out.newBytes += item.size
      continue
    }
    const bytes = await readSide(item.cid, options, 'new')
    out.newBytes += bytes.byteLength
    if (item.cid.code !== dagPb.code) continue
    const links = dagPb.decode(bytes).Links
    for (let i = links.length - 1; i >= 0; i--) {
      const link = links[i] as dagPb.PBLink
      stack.push({ cid: link.Hash, size: link.Tsize })
    }
  }
}

async function readSide(cid: CID, options: DiffOptions, side: string): Promise<Uint8Array> {
  try {
    return await readBlock(options.blockstore, cid, options.signal)
  } catch (err) {
    if (err instanceof PackError) throw new PackError(`the ${side} DAG is incomplete: ${err.message}`, { cause: err })
    throw err
  }
}
