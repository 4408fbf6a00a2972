import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { BIN, runCli } from '../../helpers/cli.ts'
import { missingCid, tempDir } from './helpers.ts'

const TOKEN_1 = 'cli-token-one-0123456789abcdef'
const TOKEN_2 = 'cli-token-two-0123456789abcdef'
const READY_MS = 30_000

interface Ready {
  url: string
  peerId: string
  addresses: string[]
}

/** Starts `pin-server` and resolves with its ready line (the first line on stdout). */
function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ready: Ready; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'pin-server', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line after ${READY_MS} ms; stderr: ${stderr}`)), READY_MS)
    child.once('exit', (code) => reject(new Error(`pin-server exited (${code}) before it was ready: ${stderr}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      resolve({ child, ready: JSON.parse(line) as Ready, stderr: () => stderr })
    })
  })
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

describe('ipfs-publish pin-server', () => {
  let dir: string
  let config: string
  let tokenFile: string

  before(async () => {
    dir = await tempDir('pin-server-cli')
    await writeFile(join(dir, 'package.json'), '{"type": "module"}')
    config = join(dir, 'publish.config.json')
    await writeFile(config, JSON.stringify({ store: 'state', node: { listen: ['/ip4/127.0.0.1/tcp/0'] } }))
    tokenFile = join(dir, 'tokens')
    await writeFile(tokenFile, `# the publisher's CI\n${TOKEN_1}\n\n`, { mode: 0o600 })
  })

  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('prints a ready line with --json, serves the API with the tokens of the file and the environment, and exits 0 on SIGINT', async () => {
    const { child, ready, stderr } = await startCli(['--port', '0', '--token-file', tokenFile, '--json', '--config', config], {
      IPFS_PUBLISH_PIN_SERVER_TOKENS: TOKEN_2,
    })
    try {
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.ok(ready.addresses.length > 0)
      for (const address of ready.addresses) assert.ok(address.endsWith(`/p2p/${ready.peerId}`), address)
      const cid = (await missingCid('cli')).toString()
      const post = await fetch(`${ready.url}/pins`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN_1}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ cid, name: 'from the cli test' }),
      })
      assert.equal(post.status, 202)
      const status = (await post.json()) as { requestid: string; status: string; delegates: string[] }
      assert.equal(status.status, 'queued')
      assert.deepEqual(status.delegates, ready.addresses)
      const list = await fetch(`${ready.url}/pins?status=queued,pinning`, { headers: { Authorization: `Bearer ${TOKEN_2}` } })
      assert.deepEqual(await list.json(), { count: 0, results: [] })
      const unauthorized = await fetch(`${ready.url}/pins`, { headers: { Authorization: 'Bearer nope' } })
      assert.equal(unauthorized.status, 401)
      child.kill('SIGINT')
      assert.equal(await exitCode(child), 0, stderr())
      assert.match(stderr(), new RegExp(`${status.requestid} queued: ${cid} \\(from the cli test\\)`))
      assert.match(stderr(), /pin server stopped/)
      assert.ok(!stderr().includes(TOKEN_1) && !stderr().includes(TOKEN_2), 'a token was printed')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('refuses a token file other users can read, saying to chmod 600 it', async () => {
    const open = join(dir, 'open-tokens')
    await writeFile(open, `${TOKEN_1}\n`)
    await chmod(open, 0o644)
    const run = await runCli(['pin-server', '--port', '0', '--token-file', open, '--config', config])
    assert.equal(run.code, 1)
    assert.equal(run.stderr, `error: the token file ${open} can be read by other users (mode 644); run: chmod 600 ${open}\n`)
  })

  it('refuses to start without any token', async () => {
    const run = await runCli(['pin-server', '--port', '0', '--config', config], { env: { IPFS_PUBLISH_PIN_SERVER_TOKENS: '' } })
    assert.equal(run.code, 2)
    assert.match(run.stderr, /pin-server needs at least one access token: --token-file FILE/)
  })

  it('lists its options in --help', async () => {
    const run = await runCli(['pin-server', '--help'])
    assert.equal(run.code, 0)
    for (const option of ['--port N', '--host H', '--token-file FILE', '--fetch-timeout DURATION', '--max-fetches N']) assert.ok(run.stdout.includes(option), option)
  })
})
