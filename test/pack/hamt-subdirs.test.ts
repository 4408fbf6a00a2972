/**
 * A folder whose entries are subfolders (a blog's `posts/<slug>/index.html`) is a HAMT
 * iff its flat dag-pb block would be over 256 KiB, like a folder of files: the
 * importer's own tree counted a subfolder's link as 0 bytes and left such folders flat.
 * The threshold cases are built as IPIP-499 builds its directory vectors: the flat
 * PBNode is encoded here, with `@ipld/dag-pb`, from the children's real links.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { pack } from '../../src/pack/index.ts'
import { readBlock } from '../../src/pack/walk.ts'
import type { OutputFile } from '../../src/render/types.ts'
import { bytesFor, linkCid, tempDir } from './helpers.ts'

const THRESHOLD = 256 * 1024
const MAX_BLOCK = 1024 * 1024
const PAGE_BYTES = 100

function cidV1(code: number, bytes: Uint8Array): CID {
  return CID.createV1(code, createDigest(0x12, createHash('sha256').update(bytes).digest()))
}

/** A flat UnixFS directory block (no mode, no mtime), as dag-pb serializes it. */
function flatDirectory(links: dagPb.PBLink[]): Uint8Array {
  return dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: links }))
}

/** Post `i`'s folder name: 11 characters, the last one `extra` longer. */
function slug(i: number, count: number, extra: number): string {
  return `p${String(i).padStart(10, '0')}${i === count - 1 ? 'x'.repeat(extra) : ''}`
}

function posts(count: number, extra = 0): OutputFile[] {
  return Array.from({ length: count }, (_, i) => {
    const name = slug(i, count, extra)
    return { path: `posts/${name}/index.html`, content: bytesFor(name, PAGE_BYTES) }
  })
}

/** The real link of each post's folder (one raw-leaf page inside), computed independently of pack. */
function postLinks(files: OutputFile[]): dagPb.PBLink[] {
  return files.map((file) => {
    const page = file.content as Uint8Array
    const block = flatDirectory([{ Name: 'index.html', Hash: cidV1(raw.code, page), Tsize: page.byteLength }])
    return { Name: file.path.split('/')[1] as string, Hash: cidV1(dagPb.code, block), Tsize: block.byteLength + page.byteLength }
  })
}

/** How many posts, and how much longer the last name, make `posts/` exactly THRESHOLD bytes flat. */
function atThreshold(): { count: number; extra: number } {
  const size = (count: number) => flatDirectory(postLinks(posts(count))).byteLength
  const perLink = size(2) - size(1)
  const count = Math.floor((THRESHOLD - (size(1) - perLink)) / perLink)
  return { count, extra: THRESHOLD - size(count) }
}

async function postsBlock(files: Iterable<OutputFile> | string): Promise<{ root: CID; posts: CID; bytes: Uint8Array; store: MemoryBlockstore }> {
  const store = new MemoryBlockstore()
  const { cid: root } = await pack(files, { blockstore: store })
  const posts = await linkCid(store, root, 'posts')
  return { root, posts, bytes: await readBlock(store, posts), store }
}

function unixfsType(block: Uint8Array): string {
  return UnixFS.unmarshal(dagPb.decode(block).Data as Uint8Array).type
}

describe('pack: folders of subfolders', () => {
  const { count, extra } = atThreshold()

  it('keeps a folder of subfolders flat when its block is exactly 256 KiB', async () => {
    const files = posts(count, extra)
    const flat = flatDirectory(postLinks(files))
    assert.equal(flat.byteLength, THRESHOLD)
    const packed = await postsBlock(files)
    assert.equal(unixfsType(packed.bytes), 'directory')
    assert.equal(packed.posts.toString(), cidV1(dagPb.code, flat).toString())
    assert.deepEqual(packed.bytes, flat)
  })

  it('makes it a HAMT one byte over', async () => {
    const files = posts(count, extra + 1)
    assert.equal(flatDirectory(postLinks(files)).byteLength, THRESHOLD + 1)
    const packed = await postsBlock(files)
    assert.equal(unixfsType(packed.bytes), 'hamt-sharded-directory')
    const entry = await exporter(packed.posts, packed.store)
    assert.equal(entry.type, 'directory')
    const names = new Set<string>()
    if (entry.type === 'directory') for await (const child of entry.entries()) names.add(child.name)
    assert.deepEqual(names, new Set(postLinks(files).map((link) => link.Name)))
  })

  it('shards 6,000 post folders, every block at most 1 MiB, the same from disk and from memory', async (t) => {
    const files = posts(6000)
    const dir = await tempDir(t)
    for (const file of files) {
      mkdirSync(join(dir, file.path, '..'), { recursive: true })
      writeFileSync(join(dir, file.path), file.content as Uint8Array)
    }
    const first = await postsBlock(files)
    assert.equal(unixfsType(first.bytes), 'hamt-sharded-directory')
    for await (const { cid } of first.store.getAll()) {
      const bytes = await readBlock(first.store, cid)
      assert.ok(bytes.byteLength <= MAX_BLOCK, `${cid} is ${bytes.byteLength} bytes`)
    }
    const again = await postsBlock(files)
    const fromDisk = await postsBlock(dir)
    assert.equal(again.root.toString(), first.root.toString())
    assert.equal(fromDisk.root.toString(), first.root.toString())
  })
})
