import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { type DeployAllProgressEvents, type DeployOptions, type DeployResult, deploy } from '../../src/deploy/index.ts'
import { CarImportError } from '../../src/errors.ts'
import { createNamePublishers } from '../../src/name/from-config.ts'
import { openNode } from '../../src/node/index.ts'
import { diff, writeCar } from '../../src/pack/index.ts'
import { type PinServerProcess, startPinServerProcess } from '../pin/pin-server-process.ts'
import { createProject, currentNames, type Project, serverPins, TOKEN_ENV } from './fixture.ts'

const token = 'deploy-test-token'
let server: PinServerProcess
let project: Project
/** The latest production deploy; the CAR tests deploy the same site. */
let second: DeployResult

before(async () => {
  server = await startPinServerProcess({ token, fetchTimeout: '10s', gateway: true })
  project = await createProject(server.url)
})
after(async () => {
  await server.stop()
  await project.cleanup()
})

function run(overrides: Partial<DeployOptions> = {}, events: DeployAllProgressEvents[] = []): Promise<DeployResult> {
  const { config } = project
  return deploy({
    config,
    env: { [TOKEN_ENV]: token },
    publishers: (components) => createNamePublishers(config.names, components),
    commit: 'a'.repeat(40),
    branch: 'main',
    onProgress: (e) => events.push(e),
    ...overrides,
  })
}

describe('deploy', () => {
  let first: DeployResult

  it('pins on every target, verifies, then moves the names, in that order, and records the deploy', async () => {
    const events: DeployAllProgressEvents[] = []
    first = await run({}, events)
    assert.equal(first.ok, true, first.error)
    assert.deepEqual(first.targets.map((t) => [t.name, t.status]), [['local', 'pinned'], ['ours', 'pinned']])
    assert.equal(first.verify?.ok, true)
    assert.equal(first.verify?.localOnly, true)
    assert.equal(first.names.length, 1)
    assert.equal(first.names[0]?.status, 'updated')
    assert.equal(first.newBytes, first.dagBytes)
    assert.deepEqual(await currentNames(project.config), [`/ipfs/${first.cid}`])
    const stages = events.flatMap((e) => (e.type === 'deploy:stage' ? [e.detail.stage] : []))
    assert.deepEqual(stages, ['node', 'build', 'pack', 'previous', 'pin', 'verify', 'name', 'record'])
    const lastPin = events.findLastIndex((e) => e.type === 'pin:done')
    const verified = events.findIndex((e) => e.type === 'verify:done')
    const named = events.findIndex((e) => e.type === 'deploy:name')
    assert.ok(lastPin < verified && verified < named, 'names move only after every pin and the verification')
    assert.ok(first.warnings.some((w) => w.includes('only proves the local copy')))
    const types = new Set(events.map((e) => e.type))
    for (const type of ['deploy:built', 'deploy:packed', 'deploy:incremental', 'deploy:warning', 'deploy:name', 'deploy:done'] as const) assert.ok(types.has(type), `${type} emitted`)
    const record = JSON.parse(await readFile(first.record ?? '', 'utf8'))
    assert.equal(record.production[0].cid, first.cid)
    const pins = await serverPins(server.url, token)
    assert.deepEqual(pins.map((p) => [p.cid, p.status, p.meta.kind, p.meta.commit]), [[first.cid, 'pinned', 'production', 'a'.repeat(40)]])
  })

  it('a re-run of the same site adds no pin anywhere', async () => {
    const again = await run()
    assert.equal(again.ok, true, again.error)
    assert.equal(again.cid, first.cid)
    assert.equal(again.newBytes, 0)
    assert.ok(again.targets.every((t) => t.existing === true), JSON.stringify(again.targets))
    assert.equal((await serverPins(server.url, token)).length, 1)
  })

  it('with no gateways in the config, verifies through the required targets’ own gateways and prints them', async () => {
    const gateway = server.gateway
    assert.ok(gateway !== undefined)
    const targets = project.config.targets.map((t) => (t.name === 'ours' ? { ...t, gateway } : t))
    const result = await run({ config: { ...project.config, targets } })
    assert.equal(result.ok, true, result.error)
    assert.equal(result.verify?.localOnly, false)
    assert.deepEqual(result.verify?.gateways.map((g) => [g.url, g.ok, g.blocks]), [[gateway, true, result.blocks]])
    assert.deepEqual(result.urls.gateway, [`${gateway}/ipfs/${result.cid}/`])
    assert.ok(!result.warnings.some((w) => w.includes('only proves the local copy')))
  })

  it('--dry-run returns the plan with the new CID and touches no target and no name', async () => {
    await project.changePost('A paragraph added for the dry run.')
    const plan = await run({ dryRun: true })
    assert.equal(plan.ok, true)
    assert.equal(plan.dryRun, true)
    assert.notEqual(plan.cid, first.cid)
    assert.deepEqual(plan.targets.map((t) => t.status), ['planned', 'planned'])
    assert.deepEqual(plan.names.map((n) => [n.status, n.previous, n.value]), [['planned', `/ipfs/${first.cid}`, `/ipfs/${plan.cid}`]])
    assert.equal(plan.record, undefined)
    assert.deepEqual(await currentNames(project.config), [`/ipfs/${first.cid}`])
    assert.deepEqual((await serverPins(server.url, token)).map((p) => p.cid), [first.cid])
  })

  it('a one-post change deploys a new CID, sends only the new blocks and moves the names', async () => {
    second = await run()
    assert.equal(second.ok, true, second.error)
    assert.notEqual(second.cid, first.cid)
    assert.equal(second.previous, first.cid)
    // The blog's three feeds carry every post in full, so a one-post change rewrites them
    // (~300 KB of this 500 KB site); the blocks of every other page and asset are reused.
    assert.ok(second.newBytes > 0 && second.newBytes < second.dagBytes * 0.7, `${second.newBytes} new of ${second.dagBytes}`)
    assert.ok(second.newBlocks > 0 && second.newBlocks < second.blocks / 3, `${second.newBlocks} new of ${second.blocks} blocks`)
    assert.equal(second.reusedBytes, second.dagBytes - second.newBytes)
    // Measured from the two roots' block lists: the same figures as walking both DAGs.
    const node = await openNode(project.config.store, { offline: true })
    try {
      const walked = await diff(CID.parse(first.cid), CID.parse(second.cid), { blockstore: node.helia.blockstore })
      assert.deepEqual([second.newBlocks, second.newBytes], [walked.newBlocks.length, walked.newBytes])
    } finally {
      await node.stop()
    }
    assert.deepEqual(second.names.map((n) => [n.status, n.previous, n.value]), [['updated', `/ipfs/${first.cid}`, `/ipfs/${second.cid}`]])
    assert.deepEqual(await currentNames(project.config), [`/ipfs/${second.cid}`])
    // The first version was live while this one was pinned, so it was kept beside it.
    assert.deepEqual((await serverPins(server.url, token)).map((p) => p.cid).sort(), [first.cid, second.cid].sort())
  })

  it('the next deploy replaces the previous production pin that is no longer live, so the series stays at two', async () => {
    await project.changePost('Another paragraph.')
    const third = await run()
    assert.equal(third.ok, true, third.error)
    const ours = third.targets.find((t) => t.name === 'ours')
    assert.ok(ours?.replaced !== undefined, 'a pin was replaced')
    assert.deepEqual((await serverPins(server.url, token)).map((p) => p.cid).sort(), [second.cid, third.cid].sort())
    second = third
  })

  it('moves no name when a required target refuses the pin (wrong token), and says what failed', async () => {
    await project.changePost('A change that must not go live.')
    const before = await currentNames(project.config)
    const failed = await run({ env: { [TOKEN_ENV]: 'not-the-token' } })
    assert.equal(failed.ok, false)
    assert.equal(failed.stage, 'pin')
    assert.match(failed.error ?? '', /ours/)
    assert.match(failed.error ?? '', /no name was moved/)
    assert.equal(failed.targets.find((t) => t.name === 'ours')?.status, 'failed')
    assert.equal(failed.verify, undefined)
    assert.deepEqual(failed.names.map((n) => n.status), ['skipped'])
    assert.deepEqual(await currentNames(project.config), before)
    assert.equal(failed.record, undefined)
  })

  it('--preview pins <site>@NAME as a preview, moves no production name and returns the preview URL', async () => {
    const before = await currentNames(project.config)
    const preview = await run({ preview: 'pr-1' })
    assert.equal(preview.ok, true, preview.error)
    assert.equal(preview.kind, 'preview')
    assert.deepEqual(preview.names, [])
    assert.deepEqual(await currentNames(project.config), before)
    assert.equal(preview.urls.preview, preview.urls.local.subdomain)
    const pins = await serverPins(server.url, token)
    const pin = pins.find((p) => p.cid === preview.cid)
    assert.equal(pin?.name, 'site@pr-1')
    assert.equal(pin?.meta.kind, 'preview')
  })
})

describe('deploy --car', () => {
  let car: string
  let cid: string
  let other: Project

  before(async () => {
    other = await createProject(server.url, { targets: [{ name: 'local', type: 'local' }], names: [] })
    cid = second.cid
    car = join(other.dir, 'site.car')
    const node = await openNode(project.config.store, { offline: true })
    try {
      await writeCar(CID.parse(cid), car, { blockstore: node.helia.blockstore })
    } finally {
      await node.stop()
    }
  })
  after(() => other.cleanup())

  it('deploys the CAR of a packed site to the same CID in a store that never built it', async () => {
    const result = await deploy({ config: other.config, car })
    assert.equal(result.ok, true, result.error)
    assert.equal(result.source, 'car')
    assert.equal(result.cid, cid)
    assert.ok(result.files > 0)
  })

  it('refuses a tampered CAR and pins nothing', async () => {
    const bytes = await readFile(car)
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff
    const bad = join(other.dir, 'tampered.car')
    await writeFile(bad, bytes)
    const fresh = await createProject(server.url, { targets: [{ name: 'local', type: 'local' }], names: [] })
    try {
      await assert.rejects(deploy({ config: fresh.config, car: bad }), (err: unknown) => err instanceof CarImportError && /does not match its CID/.test(err.message))
      const node = await openNode(fresh.config.store, { offline: true })
      try {
        assert.deepEqual(await node.listPins(), [])
      } finally {
        await node.stop()
      }
    } finally {
      await fresh.cleanup()
    }
  })
})
