import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { importer } from 'ipfs-unixfs-importer'
import { CID_PROFILE_TABLE, type CidProfileName, importerOptions, pack } from '../../src/pack/index.ts'
import { linkCid, tempDir } from './helpers.ts'
import { directoryNames, randomBytesFrom } from './vectors.ts'

const V1 = 'unixfs-v1-2025'
const V0 = 'unixfs-v0-2015'
const x = new TextEncoder().encode('x')

describe('pack (IPIP-499 vectors)', () => {
  for (const [profile, expected] of [
    [V1, 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'],
    [V0, 'Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD'],
  ] as const) {
    it(`gives the ${profile} CID of the file 'hello world'`, async () => {
      const blockstore = new MemoryBlockstore()
      const result = await pack([{ path: 'hello.txt', content: new TextEncoder().encode('hello world') }], { blockstore, profile })
      assert.equal((await linkCid(blockstore, result.cid, 'hello.txt')).toString(), expected)
    })
  }

  const directories: [CidProfileName, string, number, number, number, string][] = [
    [V1, 'hamt-unixfs-v1-2025', 4766, 11, 21, 'bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4'],
    [V1, 'hamt-unixfs-v1-2025', 4766, 11, 22, 'bafybeiegvuterwurhdtkikfhbxcldohmxp566vpjdofhzmnhv6o4freidu'],
    [V0, 'hamt-unixfs-v0-2015', 4096, 30, 30, 'QmX5GtRk3TSSEHtdrykgqm4eqMEn3n2XhfkFAis5fjyZmN'],
    [V0, 'hamt-unixfs-v0-2015', 4033, 31, 31, 'QmeMiJzmhpJAUgynAcxTQYek5PPKgdv3qEvFsdV3XpVnvP'],
  ]
  for (const [profile, seed, count, length, last, expected] of directories) {
    it(`gives ${expected.slice(0, 12)}… for ${count} ${profile} names of ${length} chars, the last ${last}`, async () => {
      const files = directoryNames(seed, count, length, last).map((path) => ({ path, content: x }))
      const result = await pack(files, { blockstore: new MemoryBlockstore(), profile })
      assert.equal(result.cid.toString(), expected)
    })
  }

  const chunkFiles: [CidProfileName, string, number, string][] = [
    [V1, 'chunk-v1-seed', 1048576, 'bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta'],
    [V1, 'chunk-v1-seed', 1048577, 'bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64'],
    [V0, 'chunk-v0-seed', 262144, 'QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE'],
    [V0, 'chunk-v0-seed', 262145, 'QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ'],
    [V0, 'v0-seed', 174 * 262144, 'QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2'],
    [V0, 'v0-seed', 174 * 262144 + 1, 'QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW'],
  ]
  for (const [profile, seed, size, expected] of chunkFiles) {
    it(`gives ${expected.slice(0, 12)}… for ${size} ${profile} bytes read from a folder`, async (t) => {
      const dir = await tempDir(t)
      await writeFile(join(dir, 'data.bin'), Buffer.concat([...randomBytesFrom(seed, size)]))
      const blockstore = new MemoryBlockstore()
      const result = await pack(dir, { blockstore, profile })
      assert.equal((await linkCid(blockstore, result.cid, 'data.bin')).toString(), expected)
      assert.equal(result.bytes, size)
    })
  }

  for (const [size, expected] of [
    [1024 * 1048576, 'bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm'],
    [1024 * 1048576 + 1, 'bafybeibdsi225ugbkmpbdohnxioyab6jsqrmkts3twhpvfnzp77xtzpyhe'],
  ] as const) {
    it(`gives ${expected.slice(0, 12)}… for ${size} v1 bytes streamed into a store that discards blocks`, async () => {
      let cid: string | undefined
      const options = importerOptions(CID_PROFILE_TABLE[V1])
      for await (const entry of importer([{ content: randomBytesFrom('v1-2025-seed', size) }], new BlackHoleBlockstore(), options)) {
        cid = entry.cid.toString()
      }
      assert.equal(cid, expected)
    })
  }

  for (const [profile, expected] of [
    [V1, 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354'],
    [V0, 'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn'],
  ] as const) {
    it(`gives the ${profile} CID of an empty directory, as the root and as a kept subfolder`, async (t) => {
      const dir = await tempDir(t)
      const blockstore = new MemoryBlockstore()
      assert.equal((await pack(dir, { blockstore, profile })).cid.toString(), expected)
      assert.equal((await pack([], { blockstore, profile })).cid.toString(), expected)
      await mkdir(join(dir, 'empty'))
      await writeFile(join(dir, 'index.html'), 'hi')
      const withEmpty = await pack(dir, { blockstore, profile })
      assert.equal((await linkCid(blockstore, withEmpty.cid, 'empty')).toString(), expected)
    })
  }
})

describe('normalizePackOptions', () => {
  it('names the option when the profile is unknown', async () => {
    await assert.rejects(
      pack([], { blockstore: new MemoryBlockstore(), profile: 'unixfs-v2' as CidProfileName }),
      /`profile` must be one of 'unixfs-v1-2025', 'unixfs-v0-2015', got 'unixfs-v2'/,
    )
  })
})
