import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { CarReader } from '@ipld/car'
import { siteFiles, writeSite } from './fixture.ts'
import { bytesFor, repoRoot, tempDir } from './helpers.ts'

const execFileAsync = promisify(execFile)
const node = join(repoRoot, 'node_modules/.bin/node')
const bin = join(repoRoot, 'bin/ipfs-publish.js')

/** Runs the CLI in `cwd`; resolves with exit code and output whatever the code. */
async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(node, [bin, ...args], { cwd })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function project(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dir = await tempDir(t, 'pack-cli-')
  await writeFile(join(dir, 'package.json'), '{"name":"fixture","private":true}\n')
  await writeSite(join(dir, 'public'), siteFiles().slice(0, 30))
  return dir
}

describe('ipfs-publish pack', () => {
  it('prints the CID, profile and counts as JSON and writes a CAR with that root', async (t) => {
    const dir = await project(t)
    const run = await cli(dir, ['pack', 'public', '--json', '--car', 'site.car'])
    assert.equal(run.code, 0, run.stderr)
    const json = JSON.parse(run.stdout) as Record<string, unknown>
    assert.deepEqual(Object.keys(json).slice(0, 5), ['cid', 'profile', 'files', 'bytes', 'blocks'])
    assert.equal(json.profile, 'unixfs-v1-2025')
    assert.equal(json.files, 30)
    assert.match(String(json.cid), /^bafybei/)
    const reader = await CarReader.fromIterable(createReadStream(join(dir, 'site.car')))
    assert.deepEqual((await reader.getRoots()).map(String), [json.cid])

    const again = JSON.parse((await cli(dir, ['pack', 'public', '--json'])).stdout) as Record<string, unknown>
    assert.equal(again.cid, json.cid)
    assert.equal(again.newBlocks, 0)
    const v0 = JSON.parse((await cli(dir, ['pack', 'public', '--json', '--profile', 'unixfs-v0-2015'])).stdout) as Record<string, unknown>
    assert.match(String(v0.cid), /^Qm/)
  })

  it('exits 2 on an unknown profile and 1 on a folder that does not exist, saying why', async (t) => {
    const dir = await project(t)
    const usage = await cli(dir, ['pack', 'public', '--profile', 'v9'])
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /--profile must be one of unixfs-v1-2025, unixfs-v0-2015, got 'v9'/)
    const missing = await cli(dir, ['pack', 'nope', '--json'])
    assert.equal(missing.code, 1)
    assert.equal((JSON.parse(missing.stdout) as { error: { code: string } }).error.code, 'ERR_PACK')
  })
})

describe('ipfs-publish diff', () => {
  it('prints added, removed and changed paths and the new blocks as JSON', async (t) => {
    const dir = await project(t)
    const old = JSON.parse((await cli(dir, ['pack', 'public', '--json'])).stdout) as { cid: string }
    await writeSite(join(dir, 'public'), [{ path: 'index.html', content: bytesFor('changed', 100) }, { path: 'new.html', content: bytesFor('n', 10) }])
    const next = JSON.parse((await cli(dir, ['pack', 'public', '--json'])).stdout) as { cid: string; newBlocks: number }
    const run = await cli(dir, ['diff', old.cid, next.cid, '--json'])
    assert.equal(run.code, 0, run.stderr)
    const json = JSON.parse(run.stdout) as Record<string, unknown>
    assert.deepEqual([json.added, json.removed, json.changed], [['new.html'], [], ['index.html']])
    assert.equal(json.newBlocks, next.newBlocks)
    assert.equal((json.newBlockCids as string[]).length, next.newBlocks)
  })
})
