import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { CID } from 'multiformats/cid'
import { createIpnsPublisher, keyToBase64, openKeystore } from '../../src/name/index.ts'
import { openNode } from '../../src/node/index.ts'
import { runCli } from '../helpers/cli.ts'
import { type RoutingServer, startRoutingServer } from '../helpers/routing-server.ts'

const SITE = CID.parse('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')
const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

let dir: string
let router: RoutingServer
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-republish-'))
  router = await startRoutingServer()
})
after(async () => {
  await router.stop()
  await rm(dir, { recursive: true, force: true })
})

/** A project folder of its own (package.json, no config: the store is `.ipfs-publish`). */
async function project(name: string): Promise<string> {
  const root = join(dir, name)
  await mkdir(root)
  await writeFile(join(root, 'package.json'), '{"type": "module"}')
  return root
}

describe('ipfs-publish republish', () => {
  it('re-signs the current value with the next sequence and a fresh lifetime, from the store or from a key in the environment', async () => {
    const root = await project('scheduled')
    const store = join(root, '.ipfs-publish')
    const node = await openNode(store, { offline: true })
    let first: Awaited<ReturnType<ReturnType<typeof createIpnsPublisher>['publish']>>
    try {
      first = await createIpnsPublisher({ helia: node.helia, keystore: openKeystore(store) }, { routers: [router.url], lifetimeMs: HOUR_MS }).publish(SITE)
    } finally {
      await node.stop()
    }

    const run = await runCli(['republish', '--router', router.url, '--lifetime', '7d', '--json'], { cwd: root })
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as Record<string, unknown>
    assert.deepEqual({ ...result, validity: undefined }, {
      name: first.name,
      key: 'site',
      value: `/ipfs/${SITE}`,
      previous: `/ipfs/${SITE}`,
      sequence: '2',
      validity: undefined,
      routers: [router.url],
    })
    const validity = Date.parse(String(result.validity))
    assert.ok(validity > Date.now() + 7 * DAY_MS - HOUR_MS && validity <= Date.now() + 7 * DAY_MS, String(result.validity))
    assert.match(run.stderr, new RegExp(`${router.url}: sequence 1 → /ipfs/${SITE}`))
    assert.match(run.stderr, new RegExp(`${router.url}: serves sequence 2 → /ipfs/${SITE}`))

    // A CI job: a fresh checkout (empty store) and the key from a secret; the router knows the value.
    const ci = await project('ci')
    const privateKey = await openKeystore(store).get('site')
    const fromEnv = await runCli(['republish', '--router', router.url, '--key-from-env', 'IPNS_KEY', '--json'], { cwd: ci, env: { IPNS_KEY: keyToBase64(privateKey) } })
    assert.equal(fromEnv.code, 0, fromEnv.stderr)
    assert.equal((JSON.parse(fromEnv.stdout) as { sequence: string }).sequence, '3')
    const held = router.held(multihashToIPNSRoutingKey(privateKey.publicKey.toMultihash()))
    assert.equal(unmarshalIPNSRecord(held as Uint8Array).sequence, 3n)

    // The scheduled workflow runs plain `republish`: key variable and routers come from the config's IPNS name.
    const configured = await project('configured')
    await writeFile(join(configured, 'publish.json'), JSON.stringify({ names: [{ type: 'ipns', keyEnv: 'IPNS_KEY', routers: [router.url], lifetime: '2d' }] }))
    const plain = await runCli(['republish', '--config', 'publish.json', '--json'], { cwd: configured, env: { IPNS_KEY: keyToBase64(privateKey) } })
    assert.equal(plain.code, 0, plain.stderr)
    const fromConfig = JSON.parse(plain.stdout) as { sequence: string; routers: string[]; validity: string }
    assert.deepEqual([fromConfig.sequence, fromConfig.routers], ['4', [router.url]])
    assert.ok(Date.parse(fromConfig.validity) <= Date.now() + 2 * DAY_MS, fromConfig.validity)
  })

  it('fails clearly when the name has no value anywhere, or the key does not exist', async () => {
    const root = await project('empty')
    const gen = await runCli(['key', 'gen', 'site'], { cwd: root })
    assert.equal(gen.code, 0, gen.stderr)
    const nothing = await runCli(['republish', '--router', router.url], { cwd: root })
    assert.equal(nothing.code, 1)
    assert.match(nothing.stderr, new RegExp(`error: k51\\w+ has no valid record on ${router.url} or in the local store .* publish a CID first`))
    const noKey = await runCli(['republish', '--key', 'other'], { cwd: root })
    assert.equal(noKey.code, 1)
    assert.match(noKey.stderr, /there is no IPNS key named 'other', so there is nothing to republish/)
    const badRouter = await runCli(['republish', '--router', 'ftp://example.org'], { cwd: root })
    assert.equal(badRouter.code, 1)
    assert.match(badRouter.stderr, /ftp:\/\/example.org: a delegated routing endpoint must be http:\/\/ or https:\/\//)
  })
})
