import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { normalizeConfig } from '../../src/config/index.ts'
import { ConfigError } from '../../src/errors.ts'

const PEER = '12D3KooWGC6TvWhfapngX6wvJHMYvKpDMXPb3ZnCZ6dMoaMtimQ5'
let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-node-config-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
})

after(() => rm(dir, { recursive: true, force: true }))

describe('normalizeConfig (node)', () => {
  it('listens on loopback only and names no peer by default', async () => {
    const config = await normalizeConfig({}, undefined, dir)
    assert.deepEqual(config.node, { listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], bootstrap: [] })
  })

  it('takes listen, announce and bootstrap multiaddrs', async () => {
    const node = {
      listen: ['/ip4/0.0.0.0/tcp/4001', '/ip6/::/tcp/4001'],
      announce: ['/dns4/blog.example/tcp/4001'],
      bootstrap: [`/ip4/192.0.2.7/tcp/4001/p2p/${PEER}`],
    }
    assert.deepEqual((await normalizeConfig({ node }, undefined, dir)).node, node)
  })

  it('names the option and its index when an address is not a multiaddr', async () => {
    await assert.rejects(normalizeConfig({ node: { listen: ['/ip4/127.0.0.1/tcp/0', 'tcp://0.0.0.0:4001'] } }, '/p/c.json', dir), {
      name: 'ConfigError',
      message: "/p/c.json: `node.listen[1]` must be a multiaddr such as /ip4/127.0.0.1/tcp/4001, got 'tcp://0.0.0.0:4001'",
    })
  })

  it('asks for the PeerID of a bootstrap peer', async () => {
    await assert.rejects(normalizeConfig({ node: { bootstrap: ['/ip4/192.0.2.7/tcp/4001'] } }, undefined, dir), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.message, "`node.bootstrap[0]` must be a multiaddr ending in /p2p/<PeerID>, got '/ip4/192.0.2.7/tcp/4001'")
      return true
    })
  })

  it('rejects a list given as a single string, and unknown node options', async () => {
    await assert.rejects(normalizeConfig({ node: { announce: '/dns4/blog.example/tcp/4001' } }, undefined, dir), {
      message: "`node.announce` must be a list, got '/dns4/blog.example/tcp/4001'",
    })
    await assert.rejects(normalizeConfig({ node: { listens: [] } }, undefined, dir), {
      message: '`node.listens` is not a known option (did you mean `listen`?)',
    })
  })
})
