import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { type ImportCandidate, importer } from 'ipfs-unixfs-importer'
import { InvalidPathError } from '../../src/errors.ts'
import type { PackProgressEvents } from '../../src/events.ts'
import { pack } from '../../src/pack/index.ts'
import type { OutputFile } from '../../src/render/types.ts'
import { siteFiles, writeSite } from './fixture.ts'
import { listTree, repoRoot, tempDir } from './helpers.ts'
import { directoryNames } from './vectors.ts'

const run = promisify(execFile)

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** Files of a folder for the importer, read by a walk of its own. */
async function* candidates(dir: string, rel = ''): AsyncGenerator<ImportCandidate> {
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`
    if (entry.isDirectory()) yield* candidates(dir, path)
    else yield { path, content: readFileSync(join(dir, path)) }
  }
}

describe('pack', () => {
  it('gives a multi-level site the CID that ipfs-car and the importer run alone give', async (t) => {
    const dir = await tempDir(t)
    await writeSite(join(dir, 'site'), siteFiles())
    const ours = await pack(join(dir, 'site'), { blockstore: new MemoryBlockstore() })

    const car = join(dir, 'site.car')
    const { stdout } = await run(join(repoRoot, 'node_modules/.bin/ipfs-car'), ['pack', join(dir, 'site'), '--output', car])
    assert.equal(stdout.trim(), ours.cid.toString(), 'ipfs-car pack')

    let independent: string | undefined
    const options = { profile: 'unixfs-v1-2025' as const, wrapWithDirectory: true }
    for await (const entry of importer(candidates(join(dir, 'site')), new MemoryBlockstore(), options)) independent = entry.cid.toString()
    assert.equal(independent, ours.cid.toString(), 'ipfs-unixfs-importer')
    assert.equal(ours.files, siteFiles().length)
  })

  it('gives the same CID whatever order the files come in, from memory or from a folder', async (t) => {
    const dir = await tempDir(t)
    // A HAMT-sized folder too: shard layout must not depend on insertion order.
    const x = new Uint8Array([120])
    const files = [...siteFiles(), ...directoryNames('order', 5000, 12).map((n) => ({ path: `big/${n}`, content: x }))]
    const cids = new Set<string>()
    for (const seed of [1, 2]) cids.add((await pack(shuffled(files, seed), { blockstore: new MemoryBlockstore() })).cid.toString())
    await writeSite(dir, files)
    cids.add((await pack(dir, { blockstore: new MemoryBlockstore() })).cid.toString())
    assert.equal(cids.size, 1, [...cids].join(' '))
  })

  it('stores symlinks as UnixFS symlinks and never follows them', async (t) => {
    const dir = await tempDir(t)
    const outside = await tempDir(t, 'pack-outside-')
    await writeFile(join(outside, 'secret.txt'), 'not for publishing')
    await writeFile(join(dir, 'index.html'), 'hi')
    await symlink(join(outside, 'secret.txt'), join(dir, 'file-link'))
    await symlink(outside, join(dir, 'dir-link'))
    const blockstore = new MemoryBlockstore()
    const result = await pack(dir, { blockstore })
    const tree = await listTree(blockstore, result.cid)
    assert.deepEqual(Object.fromEntries(tree), { 'dir-link': 'symlink', 'file-link': 'symlink', 'index.html': 'raw' })
    assert.equal(result.files, 1)
  })

  it('leaves out .git, .env and dotfiles by default, and only dotfiles come in with hidden', async (t) => {
    const dir = await tempDir(t)
    for (const path of ['.git/config', '.env', '.env.local', '.DS_Store', '.well-known/security.txt', 'index.html', 'a/.secret']) {
      await mkdir(join(dir, path, '..'), { recursive: true })
      await writeFile(join(dir, path), path)
    }
    const blockstore = new MemoryBlockstore()
    const plain = await listTree(blockstore, (await pack(dir, { blockstore })).cid)
    assert.deepEqual([...plain.keys()].sort(), ['a', 'index.html'])
    const hidden = await listTree(blockstore, (await pack(dir, { blockstore, hidden: true })).cid)
    assert.deepEqual([...hidden.keys()].sort(), ['.DS_Store', '.well-known', '.well-known/security.txt', 'a', 'a/.secret', 'index.html'])
    const fromMemory = await pack([{ path: '.env', content: x() }, { path: 'x/.git/HEAD', content: x() }, { path: 'i', content: x() }], { blockstore, hidden: true })
    assert.deepEqual([...(await listTree(blockstore, fromMemory.cid)).keys()], ['i'])
  })

  it('refuses a file name that is not UTF-8, naming it', async (t) => {
    const dir = await tempDir(t)
    await mkdir(join(dir, 'posts'))
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'posts/caf')), Buffer.from([0xe9, 0x2e, 0x68])]), 'latin-1 name')
    await assert.rejects(pack(dir, { blockstore: new MemoryBlockstore() }), (err: Error) => {
      assert.ok(err instanceof InvalidPathError)
      assert.match(err.message, /^posts\/caf\\xe9\.h: the file name is not valid UTF-8/)
      return true
    })
  })

  for (const path of ['../outside.html', '/etc/passwd', 'a/../../b', 'a//b', './a']) {
    it(`refuses the path '${path}' with an error naming it`, async () => {
      await assert.rejects(pack([{ path, content: x() }], { blockstore: new MemoryBlockstore() }), (err: Error) => {
        assert.ok(err instanceof InvalidPathError)
        assert.ok(err.message.startsWith(`${path}: `), err.message)
        return true
      })
    })
  }

  it('refuses two files with one path, and a file where a folder is needed', async () => {
    const blockstore = new MemoryBlockstore()
    await assert.rejects(pack([{ path: 'a', content: x() }, { path: 'a', content: x() }], { blockstore }), /a: two files have this path/)
    await assert.rejects(pack([{ path: 'a', content: x() }, { path: 'a/b', content: x() }], { blockstore }), /a\/b: is inside a, which is a file/)
  })

  it('emits every pack event, and packs files streamed from an async iterable', async (t) => {
    const events: PackProgressEvents[] = []
    async function* files(): AsyncGenerator<OutputFile> {
      yield* siteFiles().slice(0, 10)
    }
    const car = join(await tempDir(t), 'site.car')
    const result = await pack(files(), { blockstore: new MemoryBlockstore(), car, onProgress: (e) => events.push(e) })
    const types = new Set(events.map((e) => e.type))
    assert.deepEqual([...types].sort(), ['pack:car', 'pack:done', 'pack:file', 'pack:progress'])
    assert.equal(events.filter((e) => e.type === 'pack:file').length, 10)
    assert.deepEqual(events.at(-1), { type: 'pack:done', detail: { cid: result.cid.toString(), files: 10, bytes: result.bytes, blocks: result.blocks } })
  })

  it('stops with an AbortError when its signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(pack(siteFiles(), { blockstore: new MemoryBlockstore(), signal: controller.signal }), { name: 'AbortError' })
  })
})

function x(): Uint8Array {
  return new Uint8Array([120])
}
