/**
 * `ipfs-publish start` as a user runs it: the real CLI in a child process, building the
 * repository's own blog into a temporary store, serving it until SIGINT.
 */
import assert from 'node:assert/strict'
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CID } from 'multiformats/cid'
import { blockstorePath, openBlockstore } from '../../src/node/blockstore/index.ts'
import { openNode } from '../../src/node/index.ts'
import { get } from '../gateway/fixture.ts'
import { BIN, runCli } from '../helpers/cli.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** How a URL line of the human output looks: two spaces, then the URL. */
const URL_LINE = /^ {2}(http:\/\/\S+)$/

let dir: string
let config: string
let store: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-start-'))
  store = join(dir, 'store')
  config = join(dir, 'publish.config.json')
  // The repository's own blog, with everything it writes kept in the temporary folder.
  await writeFile(config, JSON.stringify({ root: REPO, site: join(REPO, 'site'), store, build: { out: join(dir, 'dist') } }))
})
after(() => rm(dir, { recursive: true, force: true }))

interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>
  /** Every stderr line so far. */
  lines: string[]
  exit: Promise<number | null>
}

/**
 * Starts `ipfs-publish start` and resolves with the URLs it prints once it serves, read
 * line by line from stderr (the human output), so the test waits for readiness itself.
 */
async function start(args: string[]): Promise<Running & { urls: string[] }> {
  const child = spawn(process.execPath, [BIN, 'start', '--config', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const exit = once(child, 'exit').then(([code]) => code as number | null)
  const urls = await new Promise<string[]>((resolve, reject) => {
    const found: string[] = []
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line)
      const url = URL_LINE.exec(line)?.[1]
      if (url !== undefined) found.push(url)
      if (line === 'press Ctrl+C to stop') resolve(found)
    })
    void exit.then((code) => reject(new Error(`start exited with ${code} before serving:\n${lines.join('\n')}`)))
  })
  return { child, lines, exit, urls }
}

describe('ipfs-publish start', () => {
  let cid: string
  let ipnsName: string

  it('builds, packs, pins, verifies and publishes the blog, serves it at the printed URLs, and stops cleanly on SIGINT', async () => {
    const { child, lines, exit, urls } = await start(['--port', '0'])
    try {
      assert.equal(urls.length, 3, lines.join('\n'))
      const [path, subdomain, ipns] = urls as [string, string, string]
      const pathUrl = /^http:\/\/127\.0\.0\.1:(\d+)\/ipfs\/(bafy[a-z2-7]+)\/$/.exec(path)
      assert.ok(pathUrl !== null, path)
      const port = Number(pathUrl[1])
      cid = pathUrl[2] as string
      assert.equal(subdomain, `http://${cid}.ipfs.localhost:${port}/`)
      const ipnsUrl = new RegExp(`^http://(k51[a-z0-9]+)\\.ipns\\.localhost:${port}/$`).exec(ipns)
      assert.ok(ipnsUrl !== null, ipns)
      ipnsName = ipnsUrl[1] as string

      // Each stage said what it did, in order, before the URLs.
      const stages = [
        /^built \d+ pages/,
        new RegExp(`^packed ${cid}: \\d+ blocks, \\d+ new blocks`),
        /^pinned in /,
        /^gateway on /,
        /^verified through the gateway/,
        /^created the IPNS key 'site'/,
        new RegExp(`^published /ipns/${ipnsName} \\(sequence 1\\)`),
      ]
      let at = 0
      for (const stage of stages) {
        const index = lines.findIndex((line, i) => i >= at && stage.test(line))
        assert.ok(index !== -1, `no line matching ${stage} after line ${at}:\n${lines.join('\n')}`)
        at = index + 1
      }

      const home = await fetch(path)
      assert.equal(home.status, 200)
      const html = await home.text()
      assert.match(html, /<title>[^<]*ipfs-publish[^<]*<\/title>/)
      // Node's fetch does not resolve *.localhost: ask 127.0.0.1 with the Host a browser would send.
      const viaSubdomain = await get(port, '/', { host: new URL(subdomain).host })
      assert.equal(viaSubdomain.status, 200)
      assert.equal(viaSubdomain.text, html)
      const viaName = await get(port, '/', { host: new URL(ipns).host })
      assert.equal(viaName.status, 200)
      assert.equal(viaName.text, html)
    } finally {
      child.kill('SIGINT')
    }
    assert.equal(await exit, 0, lines.join('\n'))
    assert.ok(lines.includes('stopped; the store is closed'), lines.join('\n'))

    // Closed cleanly: the next open has nothing to repair.
    const blocks = await openBlockstore({ path: blockstorePath(store) })
    try {
      assert.deepEqual(blocks.recovery, { fullScan: false, replayed: 0, truncated: [] })
    } finally {
      await blocks.close()
    }
    // The pin carries the site and the commit it was built from.
    const { stdout: head } = await import('execa').then(({ execa }) => execa('git', ['rev-parse', 'HEAD'], { cwd: REPO }))
    const node = await openNode(store, { offline: true })
    try {
      const pin = await node.getPin(CID.parse(cid))
      assert.equal(pin.name, 'site')
      assert.deepEqual(pin.metadata, { site: 'site', commit: head.trim() })
    } finally {
      await node.stop()
    }
  })

  it('gives the same CID with no new block when nothing changed, and moves the name again (--no-serve --json)', async (t) => {
    if (cid === undefined) return t.skip('needs the first run')
    const run = await runCli(['start', '--no-serve', '--json', '--port', '0', '--config', config])
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as Record<string, unknown> & { urls: Record<string, string> }
    assert.equal(result.cid, cid)
    assert.equal(result.ipns, ipnsName)
    assert.equal(result.newBlocks, 0)
    assert.equal(result.newBytes, 0)
    assert.equal(result.sequence, '2')
    assert.ok(typeof result.files === 'number' && result.files > 0)
    assert.ok(typeof result.bytes === 'number' && result.bytes > 0)
    const port = result.port as number
    assert.deepEqual(result.urls, {
      path: `http://127.0.0.1:${port}/ipfs/${cid}/`,
      subdomain: `http://${cid}.ipfs.localhost:${port}/`,
      ipns: `http://${ipnsName}.ipns.localhost:${port}/`,
      ipnsPath: `http://127.0.0.1:${port}/ipns/${ipnsName}/`,
    })
    assert.match(run.stderr, /unchanged, 0 new blocks/)
    assert.doesNotMatch(run.stderr, /created the IPNS key/)
  })

  it('refuses a malformed --port before doing anything', async () => {
    const run = await runCli(['start', '--port', 'eighty', '--config', config])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /--port: expected a port number/)
  })

  it('refuses a --key that cannot be a file name before building anything', async () => {
    const run = await runCli(['start', '--no-serve', '--port', '0', '--key', '../escape', '--config', config])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /error: '\.\.\/escape' is not a usable key name/)
    assert.doesNotMatch(run.stderr, /building the site/)
  })
})
