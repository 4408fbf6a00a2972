import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { get, type Served, serveSite, VIDEO, VIDEO_SIZE } from './fixture.ts'

const MiB = 1024 * 1024
let site: Served
let url: string

before(async () => {
  site = await serveSite()
  url = `/ipfs/${site.root}/media/video.mp4`
})
after(() => site.stop())

describe('createGateway: Range requests', () => {
  it('answers bytes=a-b with 206, Content-Range and exactly those bytes', async () => {
    const r = await get(site.port, url, { headers: { range: 'bytes=1048570-1048585' } })
    assert.equal(r.status, 206)
    assert.equal(r.headers['content-range'], `bytes 1048570-1048585/${VIDEO_SIZE}`)
    assert.equal(r.headers['content-length'], '16')
    assert.equal(r.headers['content-type'], 'video/mp4')
    assert.deepEqual(r.body, VIDEO.subarray(1048570, 1048586))
  })

  it('answers an open range (bytes=a-) up to the end, as a seeking video player asks', async () => {
    const start = 2 * MiB + 100
    const r = await get(site.port, url, { headers: { range: `bytes=${start}-` } })
    assert.equal(r.status, 206)
    assert.equal(r.headers['content-range'], `bytes ${start}-${VIDEO_SIZE - 1}/${VIDEO_SIZE}`)
    assert.deepEqual(r.body, VIDEO.subarray(start))
  })

  it('answers a suffix range (bytes=-n) with the last n bytes', async () => {
    const r = await get(site.port, url, { headers: { range: 'bytes=-100' } })
    assert.equal(r.status, 206)
    assert.equal(r.headers['content-range'], `bytes ${VIDEO_SIZE - 100}-${VIDEO_SIZE - 1}/${VIDEO_SIZE}`)
    assert.deepEqual(r.body, VIDEO.subarray(VIDEO_SIZE - 100))
  })

  it('clamps a range that runs past the end', async () => {
    const r = await get(site.port, url, { headers: { range: `bytes=${VIDEO_SIZE - 10}-${VIDEO_SIZE + 1000}` } })
    assert.equal(r.status, 206)
    assert.equal(r.headers['content-range'], `bytes ${VIDEO_SIZE - 10}-${VIDEO_SIZE - 1}/${VIDEO_SIZE}`)
    assert.equal(r.body.length, 10)
  })

  it('answers 416 with the size when the range starts past the end', async () => {
    const r = await get(site.port, url, { headers: { range: `bytes=${VIDEO_SIZE}-` } })
    assert.equal(r.status, 416)
    assert.equal(r.headers['content-range'], `bytes */${VIDEO_SIZE}`)
  })

  it('reads only the chunk that holds the range, not the whole file', async () => {
    site.blockstore.reads = []
    const r = await get(site.port, url, { headers: { range: `bytes=${2 * MiB + 5}-${2 * MiB + 9}` } })
    assert.equal(r.status, 206)
    assert.deepEqual(r.body, VIDEO.subarray(2 * MiB + 5, 2 * MiB + 10))
    const leaves = site.blockstore.reads.map((c) => CID.parse(c)).filter((c) => c.code === raw.code)
    assert.equal(leaves.length, 1, `leaf blocks read: ${leaves.join(', ')}`)
  })

  it('sends the whole file with 200 and Accept-Ranges when there is no Range', async () => {
    const r = await get(site.port, url)
    assert.equal(r.status, 200)
    assert.equal(r.headers['accept-ranges'], 'bytes')
    assert.equal(r.headers['content-length'], String(VIDEO_SIZE))
    assert.ok(r.body.equals(VIDEO))
  })

  it('ignores the range when If-Range names another version', async () => {
    const r = await get(site.port, url, { method: 'HEAD', headers: { range: 'bytes=0-9', 'if-range': '"bafkqaaa"' } })
    assert.equal(r.status, 200)
    const same = await get(site.port, url, { headers: { range: 'bytes=0-9', 'if-range': `"${site.cids.get('media/video.mp4')}"` } })
    assert.equal(same.status, 206)
  })

  it('sends the whole file for several ranges, which it does not combine', async () => {
    const r = await get(site.port, url, { method: 'HEAD', headers: { range: 'bytes=0-9,20-29' } })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-length'], String(VIDEO_SIZE))
  })
})
