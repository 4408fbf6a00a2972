import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { assertDepthFirst, assertHashes, linksOf, readCar } from './car-helpers.ts'
import { get, type Served, serveSite } from './fixture.ts'

let site: Served
const cid = (path: string) => site.cids.get(path)!

before(async () => {
  site = await serveSite()
})
after(() => site.stop())

describe('createGateway: CAR responses', () => {
  it('sends the whole DAG as a CARv1 rooted at the CID, depth-first, every block hashing to its CID', async () => {
    const r = await get(site.port, `/ipfs/${site.root}?format=car`)
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'application/vnd.ipld.car; version=1; order=dfs; dups=n')
    assert.equal(r.headers['x-content-type-options'], 'nosniff')
    assert.equal(r.headers['content-disposition'], `attachment; filename="${site.root}.car"`)
    assert.equal(r.headers['cache-control'], 'public, max-age=29030400, immutable')
    const car = await readCar(r)
    assert.deepEqual(car.roots, [site.root])
    assert.equal(car.blocks[0]?.cid.toString(), site.root.toString())
    assertHashes(car.blocks)
    assertDepthFirst(car.blocks)
    // The store keys blocks by multihash: compare those.
    const hash = (c: CID) => Buffer.from(c.multihash.bytes).toString('hex')
    const stored = new Set<string>()
    for await (const pair of site.blockstore.getAll()) stored.add(hash(pair.cid))
    assert.equal(car.blocks.length, stored.size)
    assert.deepEqual(new Set(car.blocks.map((b) => hash(b.cid))), stored)
  })

  it('negotiates CAR from Accept and names the ?format=car URL in Content-Location', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/docs/`, { headers: { accept: 'application/vnd.ipld.car; version=1' } })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-location'], `/ipfs/${site.root}/docs/?format=car`)
    assert.deepEqual((await readCar(r)).roots, [site.root])
  })

  it('sends the path’s blocks then only the last block with dag-scope=block', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/media/video.mp4?format=car&dag-scope=block`)
    const { blocks } = await readCar(r)
    assert.deepEqual(
      blocks.map((b) => b.cid.toString()),
      [site.root, cid('media'), cid('media/video.mp4')].map(String),
    )
  })

  it('sends a whole file with dag-scope=entity, and only the chunks entity-bytes covers', async () => {
    const video = cid('media/video.mp4')
    const path = `/ipfs/${site.root}/media/video.mp4?format=car`
    const entity = (await readCar(await get(site.port, `${path}&dag-scope=entity`))).blocks
    const leaves = entity.filter((b) => b.cid.code === raw.code)
    assert.equal(leaves.length, 4, 'a 3 MiB + 12345 B file has four 1 MiB leaves')
    assert.deepEqual(entity.slice(0, 3).map((b) => b.cid.toString()), [site.root, cid('media'), video].map(String))
    const videoLinks = linksOf(entity[2]!).map(String)

    const head = (await readCar(await get(site.port, `${path}&entity-bytes=0:1023`))).blocks
    assert.deepEqual(head.slice(3).map((b) => b.cid.toString()), [videoLinks[0]])
    const tail = (await readCar(await get(site.port, `${path}&entity-bytes=-100:*`))).blocks
    assert.deepEqual(tail.slice(3).map((b) => b.cid.toString()), [videoLinks[3]])
    const middle = (await readCar(await get(site.port, `${path}&entity-bytes=1048575:1048576`))).blocks
    assert.deepEqual(middle.slice(3).map((b) => b.cid.toString()), [videoLinks[0], videoLinks[1]])
    assertHashes(middle)
  })

  it('says dups=y in Content-Type when the client asks for duplicates', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/docs/`, { headers: { accept: 'application/vnd.ipld.car; order=dfs; dups=y' } })
    assert.equal(r.headers['content-type'], 'application/vnd.ipld.car; version=1; order=dfs; dups=y')
  })

  it('answers 304 to If-None-Match with the CAR’s ETag', async () => {
    const url = `/ipfs/${site.root}/docs/?format=car&dag-scope=entity`
    const first = await get(site.port, url)
    assert.match(first.headers.etag ?? '', /^".+\.car\.entity\.dfs\.n"$/)
    const again = await get(site.port, url, { headers: { 'if-none-match': first.headers.etag! } })
    assert.equal(again.status, 304)
  })

  it('answers 502 before streaming when the root is not in the store', async () => {
    const r = await get(site.port, '/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi?format=car')
    assert.equal(r.status, 502)
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
  })

  it('refuses CAR versions and formats it does not produce with 400', async () => {
    assert.equal((await get(site.port, `/ipfs/${site.root}?format=car&car-version=2`)).status, 400)
    assert.equal((await get(site.port, `/ipfs/${site.root}?format=tar`)).status, 400)
    assert.equal((await get(site.port, `/ipfs/${site.root}?format=zip`)).status, 400)
    assert.equal((await get(site.port, `/ipfs/${site.root}?format=car&dag-scope=most`)).status, 400)
  })

  it('answers the identity-CID probe bafkqaaa with an empty CAR rooted at it', async () => {
    const r = await get(site.port, '/ipfs/bafkqaaa?format=car')
    assert.equal(r.status, 200)
    const car = await readCar(r)
    assert.deepEqual(car.roots.map(String), ['bafkqaaa'])
    assert.equal(car.blocks.length, 0)
  })
})
