/**
 * The `storacha` target against the real w3up upload service code (`@web3-storage/upload-api`
 * behind node:http): a real login and provisioned space, a CI agent authorised by a base64
 * delegation, our CAR uploaded with `uploadCAR`, and the service's own records checked.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import type { PinProgressEvents } from '../../src/pin/types.ts'
import { startW3upService, type W3upService } from '../helpers/w3up-service.ts'
import { agentWithSpace, type PackedSite, packedSite, siteRequest, storachaPinner, storedBlocks } from './storacha-fixture.ts'

let service: W3upService
let site: PackedSite

before(async () => {
  service = await startW3upService()
  site = await packedSite()
})
after(() => service.close())

/** The upload the service recorded in `space` for `root`: its root and shards. */
async function serviceUpload(space: `did:key:${string}`, root: CID) {
  const record = await service.context.uploadTable.get(space, root)
  return record.ok === undefined ? undefined : { root: record.ok.root.toString(), shards: record.ok.shards ?? [] }
}

describe('createStorachaPinner', () => {
  it('uploads the packed site: pinned under our root, recorded by the service, every block stored', async () => {
    const { space, secrets } = await agentWithSpace(service)
    const events: PinProgressEvents[] = []
    const result = await storachaPinner(service, site, secrets).pin(siteRequest(site.cid), { onProgress: (e) => events.push(e) })
    assert.equal(result.status, 'pinned', result.error)
    assert.equal(result.requestid, site.cid.toString())
    assert.equal(result.existing, undefined)
    assert.ok((result.uploadedBytes ?? 0) > 0)

    const upload = await serviceUpload(space, site.cid)
    assert.equal(upload?.root, site.cid.toString())
    const stored = await storedBlocks(service, upload?.shards ?? [])
    assert.deepEqual([...stored.keys()].sort(), [...site.blocks.keys()].sort())
    for (const [cid, bytes] of site.blocks) assert.ok(Buffer.from(bytes).equals(stored.get(cid) ?? new Uint8Array()), cid)

    const types = events.map((e) => e.type)
    assert.deepEqual(types, ['pin:start', 'pin:status', 'pin:upload', 'pin:status', 'pin:done'])
    assert.deepEqual(service.errors, [])
  })

  it('lists the upload under our root, newest first, and nothing for a kind it cannot tell', async () => {
    const { secrets } = await agentWithSpace(service)
    const pinner = storachaPinner(service, site, secrets)
    assert.deepEqual(await pinner.list({ site: 'blog' }), [])
    const result = await pinner.pin(siteRequest(site.cid))
    assert.equal(result.status, 'pinned', result.error)
    const pins = await pinner.list({ site: 'blog' })
    assert.equal(pins.length, 1)
    assert.equal(pins[0]?.cid, site.cid.toString())
    assert.equal(pins[0]?.requestid, site.cid.toString())
    assert.equal(pins[0]?.status, 'pinned')
    assert.ok(pins[0] !== undefined && Date.now() - pins[0].created.getTime() < 60_000)
    assert.deepEqual(await pinner.list({ site: 'blog', kind: 'production' }), [])
  })

  it('a second pin of the same DAG finds the upload and sends nothing', async () => {
    const { secrets } = await agentWithSpace(service)
    const pinner = storachaPinner(service, site, secrets)
    const first = await pinner.pin(siteRequest(site.cid))
    const events: PinProgressEvents[] = []
    const second = await pinner.pin(siteRequest(site.cid), { onProgress: (e) => events.push(e) })
    assert.equal(first.status, 'pinned', first.error)
    assert.equal(second.status, 'pinned', second.error)
    assert.equal(second.existing, true)
    assert.equal(second.uploadedBytes, 0)
    assert.ok(events.some((e) => e.type === 'pin:existing'))
    assert.equal((await pinner.list({ site: 'blog' })).length, 1)
  })

  it('a tiny shardSize gives several shards and the same root', async () => {
    const { space, secrets } = await agentWithSpace(service)
    const largest = Math.max(...[...site.blocks.values()].map((b) => b.byteLength))
    // Room for the largest block and its framing, and no more: most shards hold one or two blocks.
    const shardSize = Math.max(1024, largest + 200)
    const events: PinProgressEvents[] = []
    const result = await storachaPinner(service, site, secrets, { shardSize }).pin(siteRequest(site.cid), { onProgress: (e) => events.push(e) })
    assert.equal(result.status, 'pinned', result.error)
    const upload = await serviceUpload(space, site.cid)
    assert.equal(upload?.root, site.cid.toString())
    assert.ok((upload?.shards.length ?? 0) > 2, `expected several shards, got ${upload?.shards.length}`)
    assert.equal(events.filter((e) => e.type === 'pin:upload').length, upload?.shards.length)
    const stored = await storedBlocks(service, upload?.shards ?? [])
    assert.deepEqual([...stored.keys()].sort(), [...site.blocks.keys()].sort())
  })

  it('unpin removes the upload from the list; pinning again sends none of the shards the space still holds', async () => {
    const { space, secrets } = await agentWithSpace(service)
    const pinner = storachaPinner(service, site, secrets)
    const first = await pinner.pin(siteRequest(site.cid))
    assert.equal(first.status, 'pinned', first.error)
    await pinner.unpin(site.cid.toString())
    assert.deepEqual(await pinner.list({ site: 'blog' }), [])
    assert.equal(await serviceUpload(space, site.cid), undefined)

    const again = await pinner.pin(siteRequest(site.cid))
    assert.equal(again.status, 'pinned', again.error)
    assert.equal(again.existing, undefined)
    assert.equal(again.uploadedBytes, 0)
    assert.equal((await serviceUpload(space, site.cid))?.root, site.cid.toString())
  })

  it('unpin of a root the space does not hold says so', async () => {
    const { space, secrets } = await agentWithSpace(service)
    const pinner = storachaPinner(service, site, secrets)
    await assert.rejects(pinner.unpin(site.cid.toString()), (err: Error) => {
      assert.match(err.message, new RegExp(`${space} has no upload with root ${site.cid}`))
      return true
    })
    await assert.rejects(pinner.unpin('not-a-cid'), /'not-a-cid' is not an upload's root CID/)
  })
})
