/**
 * `ipfs-publish deploy` as a user runs it (the CLI as a child process, secrets in its
 * environment) against real local services: our pin-server, the w3up upload service, two
 * delegated routing servers for the IPNS name and Knot for the DNSLink record. The site is
 * then opened in Chromium through the local gateway by its DNSLink domain and its IPNS
 * name; a one-post change is deployed incrementally; a failing required target moves no
 * name; and the next good deploy replaces the old production pin.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, describe, it, type TestContext } from 'node:test'
import type { Browser } from 'playwright-core'
import type { DeployResult } from '../../src/deploy/index.ts'
import { createGateway } from '../../src/gateway/index.ts'
import { openNode } from '../../src/node/index.ts'
import { KNOTD, knotMissing } from '../helpers/knot.ts'
import { CHROMIUM, chromiumMissing, launchChromium, visit } from './chromium.ts'
import { DOMAIN, ENV, SITE_TITLE, startWorld, type World } from './deploy-world.ts'

let world: World | undefined
/** The directory blocks on the path from the root to a changed file: a few links each, well under this. */
const DIRECTORY_SLACK = 8 * 1024
/** CAR framing of the new blocks plus the sharded DAG index naming every block of the site (~50 bytes each). */
const UPLOAD_SLACK = 64 * 1024
/** Each deploy's JSON, in order, for the later steps to compare with. */
const deploys: DeployResult[] = []

before(async () => {
  if (existsSync(KNOTD) && existsSync(CHROMIUM)) world = await startWorld()
})
after(() => world?.stop())

function missing(t: TestContext): boolean {
  return knotMissing(t) || chromiumMissing(t)
}

/** Runs deploy; a good one must exit 0 with `ok: true` on stdout. */
async function deployOk(w: World): Promise<DeployResult> {
  const run = await w.deploy()
  assert.equal(run.code, 0, run.stderr)
  const result = JSON.parse(run.stdout) as DeployResult
  assert.equal(result.ok, true, run.stdout)
  deploys.push(result)
  return result
}

const ipnsName = (r: DeployResult): string => r.names.find((n) => n.kind === 'ipns')?.name ?? assert.fail('no IPNS name in the result')
const target = (r: DeployResult, name: string) => r.targets.find((t) => t.name === name) ?? assert.fail(`no target ${name}`)
const production = (pins: Awaited<ReturnType<World['pins']>>) => pins.filter((p) => p.meta.kind === 'production')

describe('ipfs-publish deploy, end to end', () => {
  it('pins on every target, then moves the IPNS name at both routers and the DNSLink record at Knot', async (t) => {
    if (missing(t) || world === undefined) return
    const result = await deployOk(world)
    assert.deepEqual(result.targets.map((x) => [x.name, x.status]), [['local', 'pinned'], ['ours', 'pinned'], ['w3up', 'pinned']])
    assert.ok(result.verify?.ok)
    assert.deepEqual(result.names.map((n) => [n.kind, n.status, n.value]), [['ipns', 'updated', `/ipfs/${result.cid}`], ['dnslink', 'updated', `/ipfs/${result.cid}`]])
    assert.equal(result.newBytes, result.dagBytes, 'a first deploy has nothing to reuse')
    assert.ok((target(result, 'w3up').uploadedBytes ?? 0) >= result.dagBytes, 'the w3up service received the whole DAG')
    assert.deepEqual(await world.dnslink(), [`dnslink=/ipfs/${result.cid}`])
    for (const router of world.routers) assert.equal(await world.ipnsAt(router, ipnsName(result)), `/ipfs/${result.cid}`)
    const pins = production(await world.pins())
    assert.deepEqual(pins.map((p) => [p.cid, p.status]), [[result.cid, 'pinned']])
    assert.deepEqual(world.w3up.errors, [])
  })

  it('serves the deployed site in Chromium by its DNSLink domain and by its IPNS name, every request 2xx', async (t) => {
    if (missing(t) || world === undefined) return
    const result = deploys[0] ?? assert.fail('the first deploy did not run')
    // The gateway reads the deploy's own store, offline: DNSLink from Knot, IPNS from the records deploy wrote there.
    const node = await openNode(world.store, { offline: true })
    const gateway = createGateway({ helia: node.helia }, { port: 0, dnsServers: [world.knot.address], dnslinkCacheMs: 0 })
    let browser: Browser | undefined
    try {
      const { port } = await gateway.start()
      browser = await launchChromium([DOMAIN])
      const local = (host: string) => host === DOMAIN || host === '127.0.0.1' || host === 'localhost' || host.endsWith('.localhost')
      for (const url of [`http://${DOMAIN}:${port}/`, `http://${ipnsName(result)}.ipns.localhost:${port}/`]) {
        const seen = await visit(browser, url, local)
        assert.deepEqual(seen.problems, [], `${url}:\n${seen.log.join('\n')}`)
        assert.match(seen.title, new RegExp(SITE_TITLE), url)
        // The home page pulled in its stylesheet and images too, so "every request 2xx" covered more than one.
        assert.ok(seen.log.some((l) => /^200 .*\.css$/.test(l)) && seen.log.some((l) => /^200 .*\.svg$/.test(l)), seen.log.join('\n'))
      }
    } finally {
      await browser?.close()
      await gateway.stop()
      await node.stop()
    }
  })

  it('redeploys a one-post change: a new CID, only the changed blocks new, both names moved', async (t) => {
    if (missing(t) || world === undefined) return
    const first = deploys[0] ?? assert.fail('the first deploy did not run')
    const before = await world.render()
    await world.changePost('A paragraph added after the first deploy.')
    const after = await world.render()
    const second = await deployOk(world)
    assert.notEqual(second.cid, first.cid)
    assert.equal(second.previous, first.cid)
    assert.equal(second.newBytes + second.reusedBytes, second.dagBytes)
    // What really changed, from rendering the site twice: the post's page and the feeds that carry its text.
    const changed = [...after].filter(([path, f]) => before.get(path)?.digest !== f.digest)
    assert.ok(changed.some(([path]) => path === 'posts/names-move-last/index.html'), changed.map(([p]) => p).join(', '))
    const changedBytes = changed.reduce((sum, [, f]) => sum + f.size, 0)
    // New = those files (each under one chunk, so one raw block each) + the directory blocks above them.
    assert.ok(second.newBytes >= changedBytes, `${second.newBytes} new bytes cover the ${changedBytes} bytes of changed files`)
    assert.ok(second.newBytes <= changedBytes + DIRECTORY_SLACK, `only the changed blocks: ${second.newBytes} new, ${changedBytes} in changed files`)
    assert.ok(second.reusedBytes >= second.dagBytes - changedBytes - DIRECTORY_SLACK)
    const uploaded = target(second, 'w3up').uploadedBytes
    t.diagnostic(`redeploy: ${second.newBytes} of ${second.dagBytes} DAG bytes new (${changedBytes} in ${changed.length} changed files); w3up uploaded ${uploaded}`)
    // The upload target got the new blocks (in CAR framing) and the new index, not the site again.
    assert.ok(uploaded !== undefined && uploaded >= second.newBytes && uploaded <= second.newBytes + UPLOAD_SLACK, `w3up uploaded ${uploaded} for ${second.newBytes} new bytes`)
    assert.deepEqual(second.names.map((n) => [n.status, n.previous, n.value]), [
      ['updated', `/ipfs/${first.cid}`, `/ipfs/${second.cid}`],
      ['updated', `/ipfs/${first.cid}`, `/ipfs/${second.cid}`],
    ])
    assert.deepEqual(await world.dnslink(), [`dnslink=/ipfs/${second.cid}`])
    for (const router of world.routers) assert.equal(await world.ipnsAt(router, ipnsName(second)), `/ipfs/${second.cid}`)
    // The replace rule: the version the names pointed at (`live`) stays until the next deploy.
    const pins = production(await world.pins())
    assert.ok(pins.length <= 2, `at most two production pins: ${pins.map((p) => p.cid).join(', ')}`)
    assert.equal(pins.find((p) => p.cid === second.cid)?.status, 'pinned')
  })

  it('exits non-zero and moves no name when a required target refuses the pin', async (t) => {
    if (missing(t) || world === undefined) return
    const live = deploys[1] ?? assert.fail('the redeploy did not run')
    await world.changePost('This must not go live.')
    const run = await world.deploy({ [ENV.pin]: 'wrong-token' })
    assert.notEqual(run.code, 0)
    const result = JSON.parse(run.stdout) as DeployResult
    assert.equal(result.ok, false)
    assert.equal(result.stage, 'pin')
    assert.equal(target(result, 'ours').status, 'failed')
    assert.deepEqual(result.names.map((n) => n.status), ['skipped', 'skipped'])
    assert.deepEqual(await world.dnslink(), [`dnslink=/ipfs/${live.cid}`])
    for (const router of world.routers) assert.equal(await world.ipnsAt(router, ipnsName(live)), `/ipfs/${live.cid}`)
    assert.ok(!production(await world.pins()).some((p) => p.cid === result.cid), 'the refused version is not pinned')
  })

  it('replaces the oldest production pin once it is no longer live, on the next good deploy', async (t) => {
    if (missing(t) || world === undefined) return
    const [first, second] = deploys
    assert.ok(first !== undefined && second !== undefined, 'the earlier deploys did not run')
    const third = await deployOk(world)
    assert.equal(third.previous, second.cid)
    assert.ok(target(third, 'ours').replaced !== undefined, 'the pin-server pin was a replace')
    const pins = production(await world.pins())
    assert.deepEqual(pins.map((p) => p.cid).sort(), [second.cid, third.cid].sort(), 'the first version is gone, the one live until now stays')
    assert.equal(pins.find((p) => p.cid === third.cid)?.status, 'pinned')
    assert.deepEqual(await world.dnslink(), [`dnslink=/ipfs/${third.cid}`])
  })
})
