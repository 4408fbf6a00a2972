/** The `local` target on a real embedded node, and `pinAll` over several real targets. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createLocalPinner, createPinningServicePinner, pinAll, type Pinner, prune } from '../../src/pin/index.ts'
import type { EmbeddedNode } from '../../src/node/index.ts'
import type { PruneProgressEvents } from '../../src/pin/index.ts'
import { importSite, memoryNode, siteFiles } from '../node/node-fixtures.ts'
import { assertNoSecret, randomCid, recorder, request, secretToken } from './fixtures.ts'
import { type MockService, startMockService } from './mock-service.ts'

const token = secretToken()
let node: EmbeddedNode
let service: MockService

before(async () => {
  node = await memoryNode({ offline: true })
  service = await startMockService({ token })
})

after(async () => {
  await node.stop()
  await service.stop()
})

function service_(name: string, options: { required: boolean; token?: string }): Pinner {
  return createPinningServicePinner({}, { name, required: options.required, endpoint: service.url, token: options.token ?? token, tokenEnv: 'SVC_TOKEN', retry: { minDelayMs: 5 } })
}

describe('local pinner', () => {
  it('pins a DAG that is in the store, with the request’s name and metadata', async () => {
    const { root } = await importSite(node.helia, siteFiles())
    const local = createLocalPinner({ node })
    const { events, onProgress } = recorder()
    const result = await local.pin(request(root, 'blog', { commit: 'c0ffee' }), { onProgress })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(result.requestid, root.toString())
    const pin = await node.getPin(root)
    assert.equal(pin.name, 'blog')
    assert.deepEqual(pin.metadata, { site: 'blog', kind: 'production', commit: 'c0ffee' })
    assert.deepEqual(events.map((e) => e.type === 'pin:status' && e.detail.status), ['pinning', 'pinned'])
    const again = await local.pin(request(root, 'blog'))
    assert.equal(again.existing, true)
  })

  it('fails, naming the missing block, when the DAG is not in the store', async () => {
    const result = await createLocalPinner({ node }).pin(request(await randomCid(), 'blog'))
    assert.equal(result.status, 'failed')
    assert.match(result.error ?? '', /a block is not in the local store.*'ipfs-publish pack' puts a site in the store/)
  })

  it('does not turn the live production pin into a preview when a preview has the same CID', async () => {
    const { root } = await importSite(node.helia, siteFiles())
    const local = createLocalPinner({ node })
    await local.pin(request(root, 'keep'))
    const preview = await local.pin(request(root, 'keep', { preview: 'pr-3' }))
    assert.equal(preview.status, 'pinned')
    assert.equal((await node.getPin(root)).metadata.kind, 'production')
    assert.deepEqual((await local.list({ site: 'keep', kind: 'preview' })).length, 0)
  })

  it('lists a site’s pins newest first and prunes the old ones', async () => {
    const local = createLocalPinner({ node })
    const roots = []
    for (let i = 0; i < 3; i++) {
      const { root } = await importSite(node.helia, siteFiles())
      await local.pin(request(root, 'pruned'))
      roots.push(root.toString())
    }
    const listed = await local.list({ site: 'pruned' })
    assert.deepEqual(listed.map((p) => p.cid), [...roots].reverse())
    const events: PruneProgressEvents[] = []
    const result = await prune([local], { site: 'pruned', keep: 1, current: [roots[0]!], onProgress: (e) => events.push(e) })
    assert.deepEqual(result.targets[0]?.removed.map((p) => p.cid), [roots[1]])
    assert.deepEqual(events.map((e) => e.type), ['prune:list', 'prune:remove'])
    assert.deepEqual((await local.list({ site: 'pruned' })).map((p) => p.cid).sort(), [roots[0], roots[2]].sort())
  })
})

describe('pinAll', () => {
  it('is ok when every required target pinned, even if an optional one failed', async () => {
    const { root } = await importSite(node.helia, siteFiles())
    const { events, onProgress } = recorder()
    const wrong = secretToken()
    const pinners = [createLocalPinner({ node }), service_('backup', { required: false, token: wrong })]
    const result = await pinAll(pinners, request(root, 'pinned-all-optional'), { onProgress })
    assert.equal(result.ok, true)
    assert.deepEqual(result.targets.map((t) => [t.target, t.status, t.required]), [
      ['local', 'pinned', true],
      ['backup', 'failed', false],
    ])
    assert.equal(result.targets[1]?.code, 'ERR_PIN_UNAUTHORIZED')
    const done = events.filter((e) => e.type === 'pin:done').map((e) => [e.detail.target, e.detail.status])
    assert.deepEqual(done.sort(), [['backup', 'failed'], ['local', 'pinned']])
    assert.equal(events.filter((e) => e.type === 'pin:start').length, 2)
    assertNoSecret(wrong, events, result)
  })

  it('is not ok when a required target failed, and still reports the others', async () => {
    const { root } = await importSite(node.helia, siteFiles())
    const pinners = [createLocalPinner({ node }), service_('svc', { required: true })]
    const result = await pinAll(pinners, request(root, 'failed-all-required'))
    assert.equal(result.ok, false)
    assert.deepEqual(result.targets.map((t) => [t.target, t.status]), [
      ['local', 'pinned'],
      ['svc', 'failed'],
    ])
    assert.ok(result.targets.every((t) => t.timeMs >= 0))
  })

  it('stops every target when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const pinners = [service_('svc', { required: true })]
    await assert.rejects(pinAll(pinners, request(await randomCid(), 'cancelled'), { signal: controller.signal }), { name: 'AbortError' })
  })
})
