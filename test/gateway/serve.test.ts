import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { unixfs } from '@helia/unixfs'
import type { CID } from 'multiformats/cid'
import { openNode } from '../../src/node/index.ts'
import { BIN } from '../helpers/cli.ts'
import { get } from './fixture.ts'

let dir: string
let config: string
let root: CID

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-serve-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
  config = join(dir, 'publish.config.json')
  await writeFile(config, JSON.stringify({ store: 'state' }))
  const node = await openNode(join(dir, 'state'), { offline: true })
  try {
    const files = [{ path: 'index.html', content: new TextEncoder().encode('<!doctype html><title>Served</title>') }]
    for await (const entry of unixfs(node.helia).addAll(files, { wrapWithDirectory: true, profile: 'unixfs-v1-2025' })) root = entry.cid
    await node.pin(root, { name: 'blog' })
  } finally {
    await node.stop()
  }
})
after(() => rm(dir, { recursive: true, force: true }))

interface Started {
  result: { url: string; port: number; sites: Array<{ cid: string; name: string; path: string; subdomain: string }> }
  exit: Promise<{ code: number | null; stderr: string }>
  child: ReturnType<typeof spawn>
}

/** Starts `ipfs-publish serve --json` and waits for the JSON it prints once it listens. */
async function serve(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'serve', '--json', '--config', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }))
  const result = await new Promise<Started['result']>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      let parsed: Started['result'] & { error?: { message: string } }
      try {
        parsed = JSON.parse(stdout)
      } catch {
        return // Not all of it yet.
      }
      if (parsed.error === undefined) resolve(parsed)
      else reject(new Error(`serve failed: ${parsed.error.message}`))
    })
    void exit.then(({ code }) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)))
  })
  return { result, exit, child }
}

describe('ipfs-publish serve', () => {
  it('serves the store’s pinned sites, prints their URLs, and stops cleanly on Ctrl+C', async () => {
    const { result, exit, child } = await serve(['--port', '0'])
    try {
      assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.deepEqual(result.sites, [
        {
          cid: root.toString(),
          name: 'blog',
          path: `http://127.0.0.1:${result.port}/ipfs/${root}/`,
          subdomain: `http://${root}.ipfs.localhost:${result.port}/`,
        },
      ])
      const page = await get(result.port, `/ipfs/${root}/`)
      assert.equal(page.status, 200)
      assert.equal(page.text, '<!doctype html><title>Served</title>')
      const sub = await get(result.port, '/', { host: `${root}.ipfs.localhost:${result.port}` })
      assert.equal(sub.status, 200)
    } finally {
      child.kill('SIGINT')
    }
    const { code, stderr } = await exit
    assert.equal(code, 0, stderr)
    assert.match(stderr, /gateway stopped/)
  })

  it('fails with a message naming the address when an explicit --port is busy', async () => {
    const blocker = createServer()
    blocker.listen(0, '127.0.0.1')
    await once(blocker, 'listening')
    const busy = (blocker.address() as { port: number }).port
    try {
      const run = await serve(['--port', String(busy)]).catch((err: Error) => err)
      assert.ok(run instanceof Error, 'an explicit busy port is an error')
      assert.match(run.message, new RegExp(`^serve failed: cannot listen on 127\\.0\\.0\\.1 port ${busy}: .*EADDRINUSE`))
    } finally {
      blocker.close()
    }
  })

  it('refuses a port that is not a number', async () => {
    const run = await serve(['--port', 'eighty']).catch((err: Error) => err)
    assert.ok(run instanceof Error)
    assert.match(run.message, /^serve failed: --port: expected a port number from 0 to 65535, got 'eighty'/)
  })
})
