import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCli } from '../helpers/cli.ts'

let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-cli-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
})

after(() => rm(dir, { recursive: true, force: true }))

describe('ipfs-publish', () => {
  it('lists every command with --help and exits 0', async () => {
    const run = await runCli(['--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /Usage: ipfs-publish <command> \[options\]/)
    assert.match(run.stdout, /^ {2}build {2,}render the Markdown blog/m)
    assert.match(run.stdout, /--json/)
  })

  it('prints the usage and exits 2 when no command is given', async () => {
    const run = await runCli([])
    assert.equal(run.code, 2)
    assert.match(run.stdout, /Commands:/)
  })

  it('shows a command’s own options with <command> --help', async () => {
    const run = await runCli(['build', '--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /Usage: ipfs-publish build \[options\]/)
    assert.match(run.stdout, /--dry-run/)
    assert.match(run.stdout, /--out DIR/)
  })

  it('prints the package version', async () => {
    const run = await runCli(['--version'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/)
  })

  it('names an unknown command and exits 2', async () => {
    const run = await runCli(['biuld'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /error: unknown command 'biuld'/)
  })

  it('names an unknown option and points at the command’s help', async () => {
    const run = await runCli(['build', '--frobnicate'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /--frobnicate/)
    assert.match(run.stderr, /ipfs-publish build --help/)
  })

  it('rejects a malformed --timeout', async () => {
    const run = await runCli(['build', '--timeout', 'soon'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /--timeout: expected a duration such as 90s/)
  })

  it('fails with the option and the file when the config is invalid, as JSON with --json', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, JSON.stringify({ pack: { profile: 'fast' } }))
    const run = await runCli(['build', '--config', file, '--json'], { cwd: dir })
    assert.equal(run.code, 1)
    const body = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'ERR_CONFIG')
    assert.match(body.error.message, /bad\.json: `pack\.profile` must be one of/)
    assert.match(run.stderr, /^error: .*bad\.json: `pack\.profile`/m)
  })
})

describe('bin/ipfs-publish.js', () => {
  it('tells a user on an old Node which version it needs instead of a syntax error', async (t) => {
    const { execFile } = await import('node:child_process')
    const { BIN } = await import('../helpers/cli.ts')
    const system = '/usr/bin/node'
    const version = await new Promise<string | undefined>((resolve) =>
      execFile(system, ['--version'], (err, out) => resolve(err === null ? out.trim() : undefined)),
    )
    if (version === undefined || Number(version.slice(1).split('.')[0]) >= 22) {
      t.skip(`no Node older than 22 at ${system} (${version ?? 'missing'})`)
      return
    }
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(system, [BIN, '--help'], (_err, _out, stderr) => resolve({ code: child.exitCode, stderr }))
    })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /ipfs-publish needs Node\.js 22\.18 or newer \(this is v\d+/)
  })
})
