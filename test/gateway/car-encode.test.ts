import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CarWriter } from '@ipld/car/writer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create } from 'multiformats/hashes/digest'
import type { CarItem } from '../../src/gateway/car.ts'
import { ChunkBuffers, encodeCar } from '../../src/gateway/car-encode.ts'

interface Block {
  cid: CID
  bytes: Uint8Array
}

function rawBlock(i: number, size: number): Block {
  const bytes = Buffer.alloc(size, i % 251)
  bytes.writeUInt32BE(i)
  return { cid: CID.createV1(raw.code, create(0x12, createHash('sha256').update(bytes).digest())), bytes }
}

const blocks = Array.from({ length: 40 }, (_, i) => rawBlock(i, 10 + ((i * 997) % 3000)))

/** The CAR @ipld/car writes for `list`, rooted at the first block. */
async function reference(list: Block[] = blocks): Promise<Buffer> {
  const { writer, out } = CarWriter.create([blocks[0]!.cid])
  const parts: Uint8Array[] = []
  const collected = (async () => {
    for await (const part of out) parts.push(part)
  })()
  for (const block of list) await writer.put(block)
  await writer.close()
  await collected
  return Buffer.concat(parts)
}

/** Every other block deferred: read into its frame by the encoder, as the walk yields raw leaves. */
async function* items(): AsyncGenerator<CarItem> {
  const byCid = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]))
  const reader = {
    readInto: (cid: CID, target: Uint8Array, offset: number) => target.set(byCid.get(cid.toString())!, offset),
  }
  for (const [i, block] of blocks.entries()) yield i % 2 === 0 ? block : { cid: block.cid, length: block.bytes.length, reader }
}

describe('encodeCar', () => {
  it('writes the same bytes as @ipld/car, framing deferred blocks in place, in chunks of the size asked for', async () => {
    const chunks: Uint8Array[] = []
    for await (const chunk of encodeCar(blocks[0]!.cid, items(), { chunkBytes: 4096, flushMs: 60_000 })) chunks.push(Uint8Array.prototype.slice.call(chunk))
    assert.deepEqual(Buffer.concat(chunks), await reference())
    // Every chunk but the last is nearly full: a frame that does not fit starts the next one.
    assert.ok(chunks.slice(0, -1).every((c) => c.length > 4096 - 3100 && c.length <= 4096))
  })

  it('sends a chunk unfilled once it has waited flushMs', async () => {
    const chunks: Uint8Array[] = []
    for await (const chunk of encodeCar(blocks[0]!.cid, items(), { chunkBytes: 1 << 20, flushMs: 0 })) chunks.push(Uint8Array.prototype.slice.call(chunk))
    assert.equal(chunks.length, blocks.length, 'one chunk per block (the header goes with the first)')
    assert.deepEqual(Buffer.concat(chunks), await reference())
  })

  it('sends every whole frame before a block that cannot be read, then fails', async () => {
    const failing = async function* (): AsyncGenerator<CarItem> {
      yield* blocks.slice(0, 5)
      // The sixth block's read fails after its frame was begun.
      yield {
        cid: blocks[5]!.cid,
        length: 10,
        reader: {
          readInto: () => {
            throw new Error('the block is gone')
          },
        },
      }
    }
    const chunks: Uint8Array[] = []
    await assert.rejects(async () => {
      for await (const chunk of encodeCar(blocks[0]!.cid, failing(), { flushMs: 60_000 })) chunks.push(Uint8Array.prototype.slice.call(chunk))
    }, /the block is gone/)
    assert.deepEqual(Buffer.concat(chunks), await reference(blocks.slice(0, 5)))
  })

  it('uses a buffer again only when every chunk emitted from it was written back', async () => {
    const buffers = new ChunkBuffers()
    const emitted: Array<{ chunk: Uint8Array; copy: Buffer }> = []
    // Chunks are written back late, several at a time; partial chunks (flushMs: 0) share buffers.
    let pending: Uint8Array[] = []
    for await (const chunk of encodeCar(blocks[0]!.cid, items(), { chunkBytes: 8192, flushMs: 0, buffers })) {
      emitted.push({ chunk, copy: Buffer.from(chunk) })
      pending.push(chunk)
      if (pending.length === 12) {
        for (const part of pending.slice(0, 6)) {
          // What the socket sends is what was emitted: nothing was written over it meanwhile.
          const entry = emitted.find((e) => e.chunk === part)!
          assert.deepEqual(Buffer.from(part), entry.copy)
          buffers.written(part)
        }
        pending = pending.slice(6)
      }
    }
    for (const part of pending) buffers.written(part)
    assert.deepEqual(Buffer.concat(emitted.map((e) => e.copy)), await reference())
    const distinct = new Set(emitted.map((e) => e.chunk.buffer))
    assert.ok(distinct.size < emitted.length / 4, `buffers were used again (${distinct.size} for ${emitted.length} chunks)`)
  })
})
