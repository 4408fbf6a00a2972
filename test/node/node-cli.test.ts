import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import { openNode } from '../../src/node/index.ts'
import { runCli } from '../helpers/cli.ts'
import { importSite } from './node-fixtures.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

interface Project {
  dir: string
  config: string
  store: string
  first: CID
  second: CID
}

const projects: Project[] = []

/** A project whose store holds two pinned one-page sites; each suite gets its own. */
async function project(): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-node-cli-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
  const config = join(dir, 'publish.config.json')
  await writeFile(config, JSON.stringify({ store: 'state' }))
  const store = join(dir, 'state')
  const node = await openNode(store, { offline: true })
  try {
    const first = (await importSite(node.helia, new Map([['index.html', text('first')]]))).root
    const second = (await importSite(node.helia, new Map([['index.html', text('second')]]))).root
    await node.pin(first, { name: 'blog', metadata: { site: 'blog', commit: 'aaaa111' } })
    await node.pin(second, { name: 'blog-preview', metadata: { site: 'blog', commit: 'bbbb222', pr: 7 } })
    const created = { dir, config, store, first, second }
    projects.push(created)
    return created
  } finally {
    await node.stop()
  }
}

after(async () => {
  for (const { dir } of projects) await rm(dir, { recursive: true, force: true })
})

describe('ipfs-publish pins', () => {
  let p: Project
  before(async () => {
    p = await project()
  })

  it('lists the local pins with name, creation time and metadata as JSON', async () => {
    const run = await runCli(['pins', '--json', '--config', p.config])
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as { store: string; pins: Array<Record<string, unknown>> }
    assert.equal(result.store, p.store)
    assert.deepEqual(
      result.pins.map(({ created, ...rest }) => {
        assert.equal(typeof created, 'string')
        return rest
      }),
      [
        { cid: p.first.toString(), name: 'blog', metadata: { site: 'blog', commit: 'aaaa111' } },
        { cid: p.second.toString(), name: 'blog-preview', metadata: { site: 'blog', commit: 'bbbb222', pr: 7 } },
      ],
    )
  })

  it('prints one line per pin for people', async () => {
    const run = await runCli(['pins', '--config', p.config])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, new RegExp(`^${p.first}  blog  \\S+Z  site=blog  commit=aaaa111$`, 'm'))
  })

  it('documents itself in --help', async () => {
    const run = await runCli(['pins', '--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /Usage: ipfs-publish pins \[options\]/)
    assert.match(run.stdout, /ipfs-publish unpin/)
  })
})

describe('ipfs-publish unpin', () => {
  let p: Project
  before(async () => {
    p = await project()
  })

  it('names the pin it cannot find and exits 1', async () => {
    const run = await runCli(['unpin', 'no-such-site', '--json', '--config', p.config])
    assert.equal(run.code, 1)
    assert.deepEqual(JSON.parse(run.stdout), {
      error: { code: 'ERR_PIN_NOT_FOUND', message: "no local pin is named 'no-such-site' (ipfs-publish pins lists the pins)" },
    })
    assert.match(run.stderr, /error: no local pin is named 'no-such-site'/)
  })

  it('asks for a CID or name when given none', async () => {
    const run = await runCli(['unpin', '--config', p.config])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /give one CID or pin name/)
  })

  it('removes a pin by name and reports it', async () => {
    const run = await runCli(['unpin', 'blog-preview', '--json', '--config', p.config])
    assert.equal(run.code, 0, run.stderr)
    const { unpinned } = JSON.parse(run.stdout) as { unpinned: { cid: string; name: string } }
    assert.deepEqual({ cid: unpinned.cid, name: unpinned.name }, { cid: p.second.toString(), name: 'blog-preview' })
    const pins = JSON.parse((await runCli(['pins', '--json', '--config', p.config])).stdout) as { pins: Array<{ cid: string }> }
    assert.deepEqual(pins.pins.map((p) => p.cid), [p.first.toString()])
  })

  it('documents itself in --help', async () => {
    const run = await runCli(['unpin', '--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /Usage: ipfs-publish unpin CID\|NAME \[options\]/)
  })
})

describe('ipfs-publish gc', () => {
  let p: Project
  before(async () => {
    p = await project()
  })

  it('reports the blocks and bytes it freed, then that nothing is left to free', async () => {
    // Garbage: a site imported but never pinned, a directory node and one raw leaf.
    const node = await openNode(p.store, { offline: true })
    let strayBytes = 'stray'.length
    try {
      const stray = await importSite(node.helia, new Map([['index.html', text('stray')]]))
      for await (const chunk of node.helia.blockstore.get(stray.root)) strayBytes += chunk.byteLength
    } finally {
      await node.stop()
    }
    const run = await runCli(['gc', '--json', '--config', p.config])
    assert.equal(run.code, 0, run.stderr)
    // Each of the two pinned sites is one directory node and one raw leaf.
    assert.deepEqual(JSON.parse(run.stdout), { store: p.store, pins: 2, kept: 4, blocks: 2, bytes: strayBytes })
    const again = await runCli(['gc', '--config', p.config])
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stderr, /^freed 0 block\(s\), 0 B; kept 4 block\(s\) of 2 pin\(s\)$/m)
  })

  it('documents itself in --help', async () => {
    const run = await runCli(['gc', '--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /Usage: ipfs-publish gc \[options\]/)
  })
})
