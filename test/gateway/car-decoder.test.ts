import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CarWriter } from '@ipld/car/writer'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create } from 'multiformats/hashes/digest'
import { CarDecoder, CarStreamError } from '../../src/gateway/car-decoder.ts'

interface Block {
  cid: CID
  bytes: Uint8Array
}

function rawBlock(text: string, version: 0 | 1 = 1): Block {
  const bytes = new TextEncoder().encode(text)
  const digest = create(0x12, createHash('sha256').update(bytes).digest())
  return { cid: version === 0 ? CID.createV0(digest) : CID.createV1(raw.code, digest), bytes }
}

/** A CARv1 written by @ipld/car: the reference for the bytes a gateway sends. */
async function carOf(roots: CID[], blocks: Block[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const parts: Uint8Array[] = []
  const collected = (async () => {
    for await (const part of out) parts.push(part)
  })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collected
  return Buffer.concat(parts)
}

/** Runs `chunks` through a decoder; what came out, and the error if it threw. */
function decode(chunks: Uint8Array[], maxBlockBytes = 1024 * 1024): { roots?: CID[]; blocks: Block[]; error?: CarStreamError; inHeader: boolean } {
  const blocks: Block[] = []
  let roots: CID[] | undefined
  const decoder = new CarDecoder({
    maxBlockBytes,
    onRoots: (r) => {
      roots = r
    },
    // Copied: the view is only valid during the call.
    onBlock: (cid, bytes) => blocks.push({ cid, bytes: Uint8Array.prototype.slice.call(bytes) }),
  })
  try {
    for (const chunk of chunks) decoder.push(chunk)
    decoder.end()
  } catch (err) {
    if (!(err instanceof CarStreamError)) throw err
    return { ...(roots === undefined ? {} : { roots }), blocks, error: err, inHeader: decoder.inHeader }
  }
  return { ...(roots === undefined ? {} : { roots }), blocks, inHeader: decoder.inHeader }
}

const same = (a: Block[], b: Block[]) =>
  assert.deepEqual(
    a.map((x) => [x.cid.toString(), Buffer.from(x.bytes).toString('hex')]),
    b.map((x) => [x.cid.toString(), Buffer.from(x.bytes).toString('hex')]),
  )

/** A CARv2 around `v1`: pragma, fixed header, some padding, the CARv1, then bytes standing for an index. */
function carV2(v1: Uint8Array, padding = 5): Uint8Array {
  const pragma = dagCbor.encode({ version: 2 })
  const prefix = Buffer.concat([Buffer.from([pragma.length]), pragma])
  const header = Buffer.alloc(40)
  const dataOffset = prefix.length + 40 + padding
  header.writeBigUInt64LE(BigInt(dataOffset), 16)
  header.writeBigUInt64LE(BigInt(v1.length), 24)
  header.writeBigUInt64LE(BigInt(dataOffset + v1.length), 32)
  return Buffer.concat([prefix, header, Buffer.alloc(padding), v1, Buffer.from('not blocks: an index')])
}

describe('CarDecoder', () => {
  const blocks = [rawBlock('first'), rawBlock('second, under a CIDv0', 0), rawBlock(''), rawBlock('x'.repeat(3000))]
  const root = blocks[0]!.cid

  it('decodes what @ipld/car writes, however the stream is cut into chunks', async () => {
    const car = await carOf([root], blocks)
    for (let cut = 0; cut <= car.length; cut++) {
      const result = decode([car.subarray(0, cut), car.subarray(cut)])
      assert.equal(result.error, undefined, `cut at ${cut}: ${result.error?.message}`)
      assert.deepEqual(result.roots?.map(String), [root.toString()])
      same(result.blocks, blocks)
    }
    const bytewise = decode(Array.from(car, (byte) => Uint8Array.of(byte)))
    same(bytewise.blocks, blocks)
  })

  it('hands over a block that lies whole in one chunk as a view into it, not a copy', async () => {
    const car = await carOf([root], blocks)
    const views: Uint8Array[] = []
    const decoder = new CarDecoder({ maxBlockBytes: 1 << 20, onRoots: () => {}, onBlock: (_cid, bytes) => views.push(bytes) })
    decoder.push(car)
    decoder.end()
    assert.ok(views.every((view) => view.buffer === car.buffer))
  })

  it('reads the CARv1 inside a CARv2 and ignores the index after it', async () => {
    const v2 = carV2(await carOf([root], blocks))
    for (const cut of [1, 11, 30, 51, 60, v2.length - 3]) {
      const result = decode([v2.subarray(0, cut), v2.subarray(cut)])
      assert.equal(result.error, undefined, result.error?.message)
      same(result.blocks, blocks)
    }
  })

  it('tells a CAR that ends inside its header from one that ends inside a block, and accepts one that ends between blocks', async () => {
    const car = await carOf([root], blocks)
    const headerLength = 1 + car[0]!
    assert.deepEqual(pick(decode([car.subarray(0, 0)])), { truncated: true, inHeader: true })
    assert.deepEqual(pick(decode([car.subarray(0, headerLength - 1)])), { truncated: true, inHeader: true })
    assert.equal(decode([car.subarray(0, headerLength)]).error, undefined, 'a CAR with no blocks is whole')
    // Inside the first section's length varint, its CID, and its data.
    for (const end of [headerLength + 1, headerLength + 5, car.length - 1]) {
      assert.deepEqual(pick(decode([car.subarray(0, end)])), { truncated: true, inHeader: false }, `ends at ${end}`)
    }
  })

  it('refuses a block section over the block limit before buffering it', async () => {
    const big = rawBlock('y'.repeat(5000))
    const car = await carOf([big.cid], [big])
    // Only the header and the section's length: the refusal cannot wait for the data.
    const headerLength = 1 + car[0]!
    const result = decode([car.subarray(0, headerLength + 2)], 1000)
    assert.deepEqual(pick(result), { truncated: false, inHeader: false })
    assert.match(result.error?.message ?? '', /over the 1000-byte block limit/)
  })

  it('refuses a zero-length section, a CID of an unknown version and a header that is no CAR header', async () => {
    const car = await carOf([root], [])
    assert.match(decode([car, Uint8Array.of(0)]).error?.message ?? '', /zero length/)
    assert.match(decode([car, Uint8Array.of(3, 2, 0x55, 0)]).error?.message ?? '', /CID version 2 is neither 0 nor 1/)
    const header = (value: unknown) => {
      const bytes = dagCbor.encode(value)
      return Buffer.concat([Buffer.from([bytes.length]), bytes])
    }
    for (const value of [{ version: 1 }, { version: 3, roots: [] }, { version: 1, roots: ['not a CID'] }, { version: 1, roots: [], more: 1 }, [1]]) {
      const result = decode([header(value)])
      assert.deepEqual(pick(result), { truncated: false, inHeader: true }, JSON.stringify(value))
    }
    assert.match(decode([Uint8Array.of(2, 0xff, 0xff)]).error?.message ?? '', /not dag-cbor/)
  })
})

function pick(result: { error?: CarStreamError }): { truncated: boolean; inHeader: boolean } | undefined {
  return result.error === undefined ? undefined : { truncated: result.error.truncated, inHeader: result.error.inHeader }
}
