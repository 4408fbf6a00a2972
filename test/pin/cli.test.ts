/**
 * `ipfs-publish pin` and `prune` as a user runs them: child processes, a temp JSON config
 * whose targets are the embedded node and `mock-ipfs-pinning-service`, the token in the
 * environment only. The token must never appear on stdout or stderr.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openNode } from '../../src/node/index.ts'
import { type CliRun, runCli } from '../helpers/cli.ts'
import { importSite, siteFiles } from '../node/node-fixtures.ts'
import { assertNoSecret, secretToken } from './fixtures.ts'
import { type MockService, startMockService } from './mock-service.ts'

const token = secretToken()
const TOKEN_ENV = 'MOCK_PIN_TOKEN'
let service: MockService
let dir: string
let config: string
const cids: string[] = []

/** Names starting with `pinned-` make the mock report `pinned` at once. */
const SITE = 'pinned-cli'

interface PinJson {
  cid: string
  targets: Array<{ name: string; status: string; requestid?: string; error?: string; required?: boolean; timeMs?: number }>
}

function cli(args: string[], env: Record<string, string | undefined> = { [TOKEN_ENV]: token }): Promise<CliRun> {
  return runCli([...args, '--config', config], { cwd: dir, env })
}

function checked(run: CliRun): CliRun {
  assertNoSecret(token, run.stdout, run.stderr)
  return run
}

before(async () => {
  service = await startMockService({ token })
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-pin-cli-'))
  config = join(dir, 'publish.config.json')
  const targets = [
    { name: 'local', type: 'local' },
    { name: 'mock', type: 'pinning-service', endpoint: service.url, tokenEnv: TOKEN_ENV, timeout: '20s' },
  ]
  await writeFile(config, JSON.stringify({ store: 'store', targets }))
  const node = await openNode(join(dir, 'store'), { offline: true })
  try {
    for (let i = 0; i < 2; i++) cids.push((await importSite(node.helia, siteFiles())).root.toString())
  } finally {
    await node.stop()
  }
})

after(async () => {
  await service.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('ipfs-publish pin', () => {
  it('pins to every target and prints the result as JSON', async () => {
    const run = checked(await cli(['pin', cids[0]!, '--name', SITE, '--json']))
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as PinJson
    assert.deepEqual(Object.keys(result), ['cid', 'targets'])
    assert.equal(result.cid, cids[0])
    assert.deepEqual(result.targets.map((t) => [t.name, t.status, t.required]), [
      ['local', 'pinned', true],
      ['mock', 'pinned', true],
    ])
    assert.equal(result.targets[0]?.requestid, cids[0])
    assert.match(result.targets[1]?.requestid ?? '', /^req-\d+$/)
  })

  it('prints one line per target for people', async () => {
    const run = checked(await cli(['pin', cids[1]!, '--name', SITE, '--current', cids[0]!]))
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, new RegExp(`${cids[1]} is pinned on 2 of 2 target\\(s\\)`))
    assert.match(run.stderr, /^ {2}pinned {2}local +\d+(\.\d)? m?s$/m)
    assert.match(run.stderr, /^ {2}pinned {2}mock {2}.*\(request req-\d+\)/m)
  })

  it('exits 1 and names the variable when the service refuses the token', async () => {
    const wrong = secretToken()
    const run = await cli(['pin', cids[0]!, '--name', SITE, '--target', 'mock', '--json'], { [TOKEN_ENV]: wrong })
    assertNoSecret(wrong, run.stdout, run.stderr)
    assert.equal(run.code, 1)
    const result = JSON.parse(run.stdout) as PinJson
    assert.deepEqual(result.targets.map((t) => [t.name, t.status]), [['mock', 'failed']])
    assert.match(result.targets[0]?.error ?? '', /the token in \$MOCK_PIN_TOKEN was refused/)
  })

  it('refuses to start when a required target’s token is not set', async () => {
    const run = await cli(['pin', cids[0]!, '--name', SITE], { [TOKEN_ENV]: undefined })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /error: target 'mock': the environment variable MOCK_PIN_TOKEN is not set/)
  })

  it('rejects an unknown --target, listing the configured ones', async () => {
    const run = await cli(['pin', cids[0]!, '--target', 'nope'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /no target named 'nope' in the config; the targets are 'local', 'mock'/)
  })
})

describe('ipfs-publish prune', () => {
  it('lists what it would remove with --dry-run and removes nothing', async () => {
    const run = checked(await cli(['prune', '--name', SITE, '--keep', '1', '--dry-run', '--json']))
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as { dryRun: boolean; targets: Array<{ name: string; removed: Array<{ cid: string }>; kept: Array<{ cid: string }> }> }
    assert.equal(result.dryRun, true)
    for (const target of result.targets) {
      assert.deepEqual(target.removed.map((p) => p.cid), [cids[0]], target.name)
      assert.deepEqual(target.kept.map((p) => p.cid), [cids[1]], target.name)
    }
    const again = JSON.parse(checked(await cli(['prune', '--name', SITE, '--keep', '1', '--dry-run', '--json'])).stdout) as typeof result
    assert.deepEqual(again.targets.map((t) => t.removed.length), [1, 1])
  })

  it('never removes the --current CID', async () => {
    const run = checked(await cli(['prune', '--name', SITE, '--keep', '1', '--current', cids[0]!, '--dry-run', '--json']))
    const result = JSON.parse(run.stdout) as { targets: Array<{ removed: unknown[] }> }
    assert.deepEqual(result.targets.map((t) => t.removed.length), [0, 0])
  })
})
