/**
 * The `storacha` target given the previous deploy's root, against the real w3up service
 * code: only the blocks the previous upload lacks are sent, the service lists the new upload
 * with the old shards it uses and the new one, and every block of the new DAG can be read
 * back the way a w3up gateway reads it (content claims → the registered index → each
 * shard's location → the byte range, hash-checked). When the previous upload cannot be
 * built on, the whole DAG is sent and an event says why.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import { STORACHA_RECORDS_KEPT } from '../../src/constants.ts'
import { diff } from '../../src/pack/diff.ts'
import { writeRecord } from '../../src/pin/storacha-records.ts'
import type { Pinner, PinProgressEvents, PinResult } from '../../src/pin/types.ts'
import { startW3upService, type W3upService } from '../helpers/w3up-service.ts'
import { agentWithSpace, BIG_ASSET_BYTES, readThroughIndex, SHARD_PER_BIG_ASSET, type SiteVersions, siteRequest, siteVersions, storachaPinner } from './storacha-fixture.ts'

let service: W3upService
let site: SiteVersions
const dirs: string[] = []
/** Every result and event, scanned for the secrets at the end. */
const seen: unknown[] = []
const secrets: string[] = []

before(async () => {
  service = await startW3upService()
  site = await siteVersions()
})
after(async () => {
  await service.close()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storacha-records-'))
  dirs.push(dir)
  return dir
}

interface Run {
  result: PinResult
  events: PinProgressEvents[]
  /**
   * The last `pin:upload` event's `totalBytes`: the bytes of the shards stored, sent or not.
   * The service keeps one copy of a blob for every space, so a shard an earlier test sent
   * (to another space) is not sent again: only the first test counts bytes sent exactly.
   */
  shardBytes: number
}

async function pin(pinner: Pinner, root: CID, previous?: CID): Promise<Run> {
  const events: PinProgressEvents[] = []
  const result = await pinner.pin(siteRequest(root, previous), { onProgress: (e) => events.push(e) })
  seen.push(result, events)
  assert.equal(result.status, 'pinned', result.error)
  const uploads = events.flatMap((e) => (e.type === 'pin:upload' ? [e.detail.totalBytes] : []))
  return { result, events, shardBytes: uploads.at(-1) ?? 0 }
}

async function space(options: Parameters<typeof storachaPinner>[3] = {}, components: Parameters<typeof storachaPinner>[4] = {}) {
  const made = await agentWithSpace(service)
  secrets.push(made.secrets.key, made.secrets.proof)
  return { ...made, pinner: storachaPinner(service, site, made.secrets, options, components) }
}

function eventOf<T extends PinProgressEvents['type']>(run: Run, type: T): Extract<PinProgressEvents, { type: T }> | undefined {
  return run.events.find((e): e is Extract<PinProgressEvents, { type: T }> => e.type === type)
}

/** The upload the service recorded in `space` for `root`: its shards. */
async function shardsOf(spaceDid: `did:key:${string}`, root: CID): Promise<string[]> {
  const record = await service.context.uploadTable.get(spaceDid, root)
  assert.ok(record.ok, `the service has no upload of ${root}`)
  return (record.ok.shards ?? []).map(String)
}

/** Every block of `root` read back through the service's claims and index, and announced to IPNI. */
async function assertReadable(root: CID): Promise<number> {
  const { blocks: read } = await readThroughIndex(service, root)
  const blocks = await site.blocks(root)
  for (const [cid, bytes] of blocks) {
    const { multihash } = CID.parse(cid)
    const got = read.get(Buffer.from(multihash.bytes).toString('base64'))
    assert.ok(got !== undefined && Buffer.from(got).equals(bytes), `block ${cid} of ${root} is not readable through its index`)
    assert.ok((await service.context.ipniService.query(multihash as Parameters<W3upService['context']['ipniService']['query']>[0])).ok, `IPNI does not know ${cid}`)
  }
  return blocks.size
}

/** The index the service holds for `root` (the only other blob an incremental upload sends). */
async function indexBlob(root: CID): Promise<Buffer> {
  const claims = await service.context.claimsService.read(root.multihash as Parameters<W3upService['context']['claimsService']['read']>[0])
  const index = (claims.ok as unknown as Array<{ type: string; index?: { multihash: { bytes: Uint8Array } } }>).find((c) => c.type === 'assert/index')?.index
  assert.ok(index, `no index claim for ${root}`)
  const stream = await service.context.blobRetriever.stream(index.multihash as Parameters<W3upService['context']['blobRetriever']['stream']>[0])
  const chunks: Uint8Array[] = []
  for await (const chunk of stream.ok as AsyncIterable<Uint8Array>) chunks.push(chunk)
  return Buffer.concat(chunks)
}

describe('createStorachaPinner with a previous deploy', () => {
  it('sends only the blocks the previous deploy lacks; the new upload lists the old shard and the new one; every block reads back', async () => {
    const records = await tempDir()
    const { space: did, pinner } = await space({}, { recordDir: records })
    const v1 = await pin(pinner, site.v1)
    const v2 = await pin(pinner, site.v2, site.v1)
    const expected = await diff(site.v1, site.v2, { blockstore: site.blockstore })

    const v2Blocks = [...(await site.blocks(site.v2)).values()]
    assert.deepEqual(eventOf(v2, 'pin:incremental')?.detail, {
      target: 'storacha',
      cid: site.v2.toString(),
      previous: site.v1.toString(),
      newBlocks: expected.newBlocks.length,
      newBytes: expected.newBytes,
      reusedBlocks: v2Blocks.length - expected.newBlocks.length,
      reusedBytes: v2Blocks.reduce((sum, b) => sum + b.byteLength, 0) - expected.newBytes,
    })
    assert.equal(eventOf(v2, 'pin:full'), undefined)
    // Sent: one new shard (the new blocks with their CAR framing) and the index, nothing else.
    const sent = v2.result.uploadedBytes ?? 0
    assert.equal(sent, v2.shardBytes + (await indexBlob(site.v2)).byteLength)
    assert.ok(v2.shardBytes >= expected.newBytes && v2.shardBytes < expected.newBytes + 100 * expected.newBlocks.length, `new shard of ${v2.shardBytes} bytes for ${expected.newBytes} bytes of new blocks`)
    assert.ok(sent < v1.shardBytes / 20, `sent ${sent} bytes, the whole site is ${v1.shardBytes}`)

    const [oldShard, ...rest] = await shardsOf(did, site.v1)
    assert.deepEqual(rest, [])
    const shards = await shardsOf(did, site.v2)
    assert.equal(shards.length, 2)
    assert.equal(shards[0], oldShard)
    assert.notEqual(shards[1], oldShard)
    assert.deepEqual((await pinner.list({ site: 'blog' })).map((p) => p.cid).sort(), [site.v1.toString(), site.v2.toString()].sort())
    await assertReadable(site.v2)
    await assertReadable(site.v1)
    // Each upload's record is the very index registered with it.
    for (const root of [site.v1, site.v2]) assert.ok((await readFile(join(records, `${root}.car`))).equals(await indexBlob(root)), `the record of ${root}`)

    const again = await pin(pinner, site.v2, site.v1)
    assert.equal(again.result.existing, true)
    assert.equal(again.result.uploadedBytes, 0)
    assert.deepEqual(service.errors, [])
  })

  it('builds on a previous upload that was itself incremental, from its record, without the older blocks in the store', async () => {
    const records = await tempDir()
    const { space: did, pinner, secrets: own } = await space({}, { recordDir: records })
    await pin(pinner, site.v1)
    await pin(pinner, site.v2, site.v1)
    // A store with v3's blocks only: the record alone says where the old ones are.
    const v3Only = new MemoryBlockstore()
    for (const [cid, bytes] of await site.blocks(site.v3)) await v3Only.put(CID.parse(cid), bytes)
    const v3 = await pin(storachaPinner(service, { blockstore: v3Only }, own, {}, { recordDir: records }), site.v3, site.v2)
    const expected = await diff(site.v2, site.v3, { blockstore: site.blockstore })
    assert.equal(eventOf(v3, 'pin:incremental')?.detail.newBytes, expected.newBytes)
    assert.ok((v3.result.uploadedBytes ?? 0) < BIG_ASSET_BYTES / 20, `sent ${v3.result.uploadedBytes} bytes`)
    // v1's shard (the assets) and v2's and v3's new ones.
    const v2Shards = await shardsOf(did, site.v2)
    const v3Shards = await shardsOf(did, site.v3)
    assert.equal(v3Shards.length, 3)
    assert.deepEqual(v3Shards.slice(0, 2), v2Shards)
    await assertReadable(site.v3)
    assert.deepEqual(service.errors, [])
  })

  it('without records, finds the old blocks by cutting the previous CAR again; shards only a removed file used are left out', async () => {
    const { space: did, pinner } = await space({ shardSize: SHARD_PER_BIG_ASSET })
    const v1 = await pin(pinner, site.v1)
    const v1Shards = await shardsOf(did, site.v1)
    assert.ok(v1Shards.length >= 4, `expected a shard per big asset and more, got ${v1Shards.length}`)

    const v2 = await pin(pinner, site.v2, site.v1)
    assert.ok(eventOf(v2, 'pin:incremental'))
    assert.ok((v2.result.uploadedBytes ?? 0) < v1.shardBytes / 20)
    const v2Shards = await shardsOf(did, site.v2)
    assert.deepEqual(v2Shards.slice(0, -1), v1Shards.filter((s) => v2Shards.includes(s)))
    await assertReadable(site.v2)

    // v2 was incremental, so its CAR cut again is not its upload; but each big asset's shard
    // is cut the same from any version, so those are found all the same.
    const v3 = await pin(pinner, site.v3, site.v2)
    assert.ok(eventOf(v3, 'pin:incremental'))
    assert.ok((v3.result.uploadedBytes ?? 0) < BIG_ASSET_BYTES / 4, `sent ${v3.result.uploadedBytes} bytes`)
    const v3Shards = await shardsOf(did, site.v3)
    const dropped = v2Shards.filter((s) => !v3Shards.includes(s))
    assert.ok(dropped.length >= 1, 'the shard of the removed asset is still listed')
    await assertReadable(site.v3)
    assert.deepEqual(service.errors, [])
  })

  it('sends everything, and says why, when the space holds no upload of the previous deploy', async () => {
    const { pinner } = await space({}, { recordDir: await tempDir() })
    const v2 = await pin(pinner, site.v2, site.v1)
    assert.match(eventOf(v2, 'pin:full')?.detail.reason ?? '', /the space holds no upload of the previous deploy/)
    assert.equal(eventOf(v2, 'pin:full')?.detail.previous, site.v1.toString())
    assert.equal(eventOf(v2, 'pin:incremental'), undefined)
    assert.ok(v2.shardBytes > 3 * BIG_ASSET_BYTES, 'the whole site is cut into shards')
    await assertReadable(site.v2)
  })

  it('sends everything, and says why, when the previous upload was incremental and nothing records where its blocks are', async () => {
    const { pinner } = await space()
    await pin(pinner, site.v1)
    assert.ok(eventOf(await pin(pinner, site.v2, site.v1), 'pin:incremental'))
    const v3 = await pin(pinner, site.v3, site.v2)
    assert.match(eventOf(v3, 'pin:full')?.detail.reason ?? '', /no folder for upload records was given, and none of the previous upload's 2 shard\(s\) is a CAR/)
    assert.ok(v3.shardBytes > 2 * BIG_ASSET_BYTES, 'the whole site is cut into shards')
    await assertReadable(site.v3)
  })

  it('sends everything, and says why, when the previous deploy is neither recorded nor in the block store', async () => {
    const { pinner, secrets: own } = await space()
    await pin(pinner, site.v1)
    const v2Only = new MemoryBlockstore()
    for (const [cid, bytes] of await site.blocks(site.v2)) await v2Only.put(CID.parse(cid), bytes)
    const v2 = await pin(storachaPinner(service, { blockstore: v2Only }, own), site.v2, site.v1)
    assert.match(eventOf(v2, 'pin:full')?.detail.reason ?? '', /cannot be cut again from the block store \(block \S+ is not in the block store/)
    await assertReadable(site.v2)
  })

  it('sends everything, and says why, when a shard of the previous upload was removed from the space since', async () => {
    const { space: did, pinner } = await space({}, { recordDir: await tempDir() })
    await pin(pinner, site.v1)
    const [shard] = await shardsOf(did, site.v1)
    const removed = await service.context.allocationsStorage.remove(did, CID.parse(shard ?? '').multihash as Parameters<W3upService['context']['allocationsStorage']['remove']>[1])
    assert.ok(removed.ok)
    const v2 = await pin(pinner, site.v2, site.v1)
    assert.ok(eventOf(v2, 'pin:incremental'), 'the plan is made before the service is asked')
    assert.match(eventOf(v2, 'pin:full')?.detail.reason ?? '', /the space no longer holds one of the previous upload's shards/)
    assert.ok(v2.shardBytes > 3 * BIG_ASSET_BYTES, 'the whole site is cut into shards')
    await assertReadable(site.v2)
  })

  it('does not trust a damaged record: the old blocks are found by cutting the previous CAR again', async () => {
    const records = await tempDir()
    const { pinner } = await space({}, { recordDir: records })
    await pin(pinner, site.v1)
    await writeFile(join(records, `${site.v1}.car`), 'not a CAR')
    const v2 = await pin(pinner, site.v2, site.v1)
    assert.ok(eventOf(v2, 'pin:incremental'))
    assert.ok((v2.result.uploadedBytes ?? 0) < BIG_ASSET_BYTES / 20)
    await assertReadable(site.v2)
  })

  it('no secret appears in any result or event', () => {
    assert.ok(seen.length > 10)
    const texts = seen.map((s) => JSON.stringify(s))
    for (const secret of new Set(secrets)) {
      for (let i = 0; i + 16 <= secret.length; i += 8) {
        const piece = secret.slice(i, i + 16)
        for (const text of texts) assert.ok(!text.includes(piece), `a secret leaked into: ${text.slice(0, 200)}`)
      }
    }
  })
})

describe('writeRecord', () => {
  it('keeps the newest records only', async () => {
    const dir = await tempDir()
    const roots = [site.v1, site.v2, site.v3]
    const names: string[] = []
    for (let i = 0; i < STORACHA_RECORDS_KEPT + 2; i++) {
      const name = `${roots[i % 3]}-${i}`
      names.push(`${name}.car`)
      await writeFile(join(dir, `${name}.car`), 'x')
      const at = new Date(Date.now() - (STORACHA_RECORDS_KEPT + 10 - i) * 60_000)
      await utimes(join(dir, `${name}.car`), at, at)
    }
    await writeRecord(dir, site.v1, new Uint8Array([1, 2, 3]))
    const left = (await readdir(dir)).sort()
    assert.equal(left.length, STORACHA_RECORDS_KEPT)
    assert.ok(left.includes(`${site.v1}.car`))
    assert.ok(!left.includes(names[0] ?? '') && !left.includes(names[1] ?? '') && !left.includes(names[2] ?? ''))
  })
})
