import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { DagTracker } from '../../src/gateway/verify-dag.ts'

async function rawBlock(text: string): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function cborBlock(value: unknown): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes }
}

describe('DagTracker', () => {
  it('takes blocks in any order and decides completeness from the root', async () => {
    const a = await rawBlock('a')
    const b = await rawBlock('b')
    const root = await cborBlock({ a: a.cid, b: b.cid })
    const tracker = new DagTracker(root.cid)
    assert.equal(tracker.add(b.cid, b.bytes), 'valid')
    assert.equal(tracker.add(root.cid, root.bytes), 'valid')
    assert.deepEqual(tracker.state().missing, [a.cid])
    assert.equal(tracker.add(a.cid, a.bytes), 'valid')
    assert.deepEqual(tracker.state(), { blocks: 3, bytes: root.bytes.length + 2, extra: 0, missing: [], rejected: [] })
  })

  it('hashes every copy, so a bad duplicate after a good one still fails the block', async () => {
    const a = await rawBlock('a')
    const root = await cborBlock([a.cid])
    const tracker = new DagTracker(root.cid)
    tracker.add(root.cid, root.bytes)
    assert.equal(tracker.add(a.cid, a.bytes), 'valid')
    assert.equal(tracker.add(a.cid, a.bytes), 'duplicate')
    assert.equal(tracker.add(a.cid, new TextEncoder().encode('not a')), 'bad')
    const state = tracker.state()
    assert.deepEqual(state.rejected.map((r) => [r.cid, r.bad, r.reason]), [[a.cid, true, 'bytes do not hash to the CID']])
    assert.deepEqual([state.blocks, state.extra], [1, 0])
  })

  it('counts valid unrelated blocks as extra, and a CIDv0 and its CIDv1 as one block', async () => {
    const a = await rawBlock('a')
    const other = await rawBlock('other')
    const pbBytes = dagPb.encode({ Links: [] })
    const digest = await sha256.digest(pbBytes)
    // The root links to the CIDv0 form; the gateway sends the block under its CIDv1.
    const root = await cborBlock({ a: a.cid, pb: CID.createV0(digest) })
    const tracker = new DagTracker(root.cid)
    for (const block of [root, a, other, { cid: CID.createV1(dagPb.code, digest), bytes: pbBytes }]) tracker.add(block.cid, block.bytes)
    const state = tracker.state()
    assert.deepEqual([state.blocks, state.extra, state.missing], [3, 1, []])
  })

  it('follows links inside an identity CID without expecting its block, and refuses one that does not decode', async () => {
    const a = await rawBlock('a')
    const inline = CID.createV1(dagCbor.code, identity.digest(dagCbor.encode({ a: a.cid })))
    const broken = CID.createV1(dagCbor.code, identity.digest(new Uint8Array([0xff])))
    const root = await cborBlock({ inline, broken })
    const tracker = new DagTracker(root.cid)
    tracker.add(root.cid, root.bytes)
    const state = tracker.state()
    assert.deepEqual(state.missing, [a.cid])
    assert.deepEqual(state.rejected.map((r) => [r.cid, r.bad]), [[broken, false]])
    assert.match(state.rejected[0]?.reason ?? '', /does not decode as dag-cbor/)
  })
})
