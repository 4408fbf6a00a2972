import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { unmarshalIPNSRecord } from 'ipns'
import { validate } from 'ipns/validator'
import { assertHashes } from './car-helpers.ts'
import { get, type Served, serveSite } from './fixture.ts'

let site: Served
const cid = (path: string) => site.cids.get(path)!

before(async () => {
  site = await serveSite()
})
after(() => site.stop())

describe('createGateway: raw block responses', () => {
  it('sends exactly the block with ?format=raw, as a download', async () => {
    const r = await get(site.port, `/ipfs/${site.root}?format=raw`)
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'application/vnd.ipld.raw')
    assert.equal(r.headers['x-content-type-options'], 'nosniff')
    assert.equal(r.headers['content-disposition'], `attachment; filename="${site.root}.bin"`)
    assert.equal(r.headers.etag, `"${site.root}.raw"`)
    assertHashes([{ cid: site.root, bytes: r.body }])
  })

  it('negotiates raw from Accept, names ?format=raw in Content-Location, and resolves a path first', async () => {
    const r = await get(site.port, `/ipfs/${site.root}/posts/hello/header.png`, { headers: { accept: 'application/vnd.ipld.raw' } })
    assert.equal(r.headers['content-location'], `/ipfs/${site.root}/posts/hello/header.png?format=raw`)
    assertHashes([{ cid: cid('posts/hello/header.png'), bytes: r.body }])
  })

  it('lets ?format= win over Accept', async () => {
    const r = await get(site.port, `/ipfs/${site.root}?format=raw`, { headers: { accept: 'application/vnd.ipld.car' } })
    assert.equal(r.headers['content-type'], 'application/vnd.ipld.raw')
  })

  it('answers the probe bafkqaaa with 200 and an empty body', async () => {
    const r = await get(site.port, '/ipfs/bafkqaaa?format=raw')
    assert.equal(r.status, 200)
    assert.equal(r.body.length, 0)
  })

  it('answers 406 when a codec format does not match the block’s codec', async () => {
    const r = await get(site.port, `/ipfs/${site.root}?format=dag-json`)
    assert.equal(r.status, 406)
  })
})

describe('createGateway: IPNS record responses', () => {
  it('sends the signed record of /ipns/<key>, which verifies against the key', async () => {
    const r = await get(site.port, `/ipns/${site.ipnsName}?format=ipns-record`)
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'application/vnd.ipfs.ipns-record')
    assert.equal(r.headers['x-content-type-options'], 'nosniff')
    assert.equal(r.headers['content-disposition'], `attachment; filename="${site.ipnsName}.ipns-record"`)
    assert.equal(r.headers['cache-control'], 'public, max-age=300')
    await validate(publicKeyFromProtobuf(site.publicKey.toProtobuf()), r.body)
    assert.equal(unmarshalIPNSRecord(r.body).value, `/ipfs/${site.root}`)
  })

  it('negotiates the record from Accept', async () => {
    const r = await get(site.port, `/ipns/${site.ipnsName}`, { headers: { accept: 'application/vnd.ipfs.ipns-record' } })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-location'], `/ipns/${site.ipnsName}?format=ipns-record`)
  })

  it('answers 400 for /ipfs/ paths, paths under the name and DNSLink names', async () => {
    assert.equal((await get(site.port, `/ipfs/${site.root}?format=ipns-record`)).status, 400)
    assert.equal((await get(site.port, `/ipns/${site.ipnsName}/posts?format=ipns-record`)).status, 400)
    assert.equal((await get(site.port, '/ipns/blog.example?format=ipns-record')).status, 400)
  })

  it('answers 502 for a key this node has no record of', async () => {
    const r = await get(site.port, '/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8?format=ipns-record')
    assert.equal(r.status, 502)
  })
})
