import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCli } from '../helpers/cli.ts'

const SITE = fileURLToPath(new URL('../fixtures/sites/blogs', import.meta.url))
let dir: string
let config: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-pack-site-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
  config = join(dir, 'publish.config.json')
  await writeFile(config, JSON.stringify({ site: SITE, build: { out: 'dist' }, store: 'store' }))
})

after(() => rm(dir, { recursive: true, force: true }))

interface PackJson {
  cid: string
  profile: string
  files: number
  bytes: number
  blocks: number
  newBlocks: number
}

describe('ipfs-publish pack (no DIR)', () => {
  it('builds the site in memory and gives the CID that packing the written folder gives', async () => {
    const inMemory = await runCli(['pack', '--config', config, '--json'], { cwd: dir })
    assert.equal(inMemory.code, 0, inMemory.stderr)
    const packed = JSON.parse(inMemory.stdout) as PackJson
    assert.match(packed.cid, /^bafybei/)
    assert.equal(packed.profile, 'unixfs-v1-2025')

    const built = await runCli(['build', '--config', config, '--quiet'], { cwd: dir })
    assert.equal(built.code, 0, built.stderr)
    const fromDisk = await runCli(['pack', join(dir, 'dist'), '--config', config, '--json'], { cwd: dir })
    assert.equal(fromDisk.code, 0, fromDisk.stderr)
    const again = JSON.parse(fromDisk.stdout) as PackJson
    assert.equal(again.cid, packed.cid)
    assert.equal(again.files, packed.files)
    assert.equal(again.bytes, packed.bytes)
    // Same DAG, already in the store: nothing is written twice.
    assert.equal(again.newBlocks, 0)
  })
})
