import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create } from 'multiformats/hashes/digest'
import type { DirectBlockstore } from '../../src/node/direct-store.ts'
import { WalkReader } from '../../src/gateway/walk-reader.ts'

function rawBlock(i: number): { cid: CID; bytes: Uint8Array } {
  const bytes = new TextEncoder().encode(`block ${i}`)
  return { cid: CID.createV1(raw.code, create(0x12, createHash('sha256').update(bytes).digest())), bytes }
}

/** A direct store whose synchronous reads take `readMs` (a cold disk, when long), counting reads of each kind. */
class FakeStore implements DirectBlockstore {
  readonly blocks = new Map<string, Uint8Array>()
  readMs = 0
  syncReads = 0
  asyncReads = 0

  has(cid: CID): boolean {
    return this.blocks.has(cid.toString())
  }

  async getBytes(cid: CID): Promise<Uint8Array> {
    this.asyncReads++
    const bytes = this.blocks.get(cid.toString())
    if (bytes === undefined) throw new NotFoundError(`${cid}`)
    return bytes
  }

  blockLength(cid: CID): number {
    return this.blocks.get(cid.toString())!.byteLength
  }

  readInto(cid: CID, target: Uint8Array, offset: number): void {
    this.syncReads++
    const until = performance.now() + this.readMs
    while (performance.now() < until) {
      // Busy, as a synchronous read from a slow disk would be.
    }
    target.set(this.blocks.get(cid.toString())!, offset)
  }
}

function setup(count: number, options: { aheadBlocks?: number } = {}) {
  const store = new FakeStore()
  const blocks = Array.from({ length: count }, (_, i) => rawBlock(i))
  for (const block of blocks) store.blocks.set(block.cid.toString(), block.bytes)
  const heliaReads: CID[] = []
  const reader = new WalkReader({
    direct: store,
    read: async (cid) => {
      heliaReads.push(cid)
      return new TextEncoder().encode(`from helia: ${cid}`)
    },
    aheadBlocks: options.aheadBlocks ?? 4,
    aheadBytes: 1 << 20,
  })
  return { store, blocks, reader, heliaReads }
}

describe('WalkReader', () => {
  it('reads a stored block synchronously, and asks Helia for one the store lacks', async () => {
    const { store, blocks, reader, heliaReads } = setup(1)
    const block = blocks[0]!
    assert.equal(reader.readsNow(block.cid), true)
    assert.deepEqual(reader.readNow(block.cid), block.bytes)
    assert.equal(store.syncReads, 1)
    const absent = rawBlock(99).cid
    assert.equal(reader.readsNow(absent), false)
    assert.equal(new TextDecoder().decode(await reader.take(absent, [])), `from helia: ${absent}`)
    assert.deepEqual(heliaReads, [absent])
  })

  it('lets other work run once a turn of the walk is used up, counting all its work, not only its reads', async () => {
    const { blocks, reader } = setup(1)
    const block = blocks[0]!
    let ranMeanwhile = false
    setImmediate(() => {
      ranMeanwhile = true
    })
    assert.equal(reader.readsNow(block.cid), true)
    reader.readNow(block.cid)
    // Framing and decoding, not reading: counting read time alone held the event loop for 100 ms at a time.
    const until = performance.now() + 5
    while (performance.now() < until) {
      // Busy.
    }
    const pause = reader.pause()
    assert.ok(pause !== undefined, 'a pause once the turn is used up')
    assert.equal(ranMeanwhile, false)
    await pause
    assert.equal(ranMeanwhile, true)
    assert.equal(reader.readsNow(block.cid), true, 'fast reads stay synchronous')
  })

  it('reads asynchronously for a while after a turn of slow synchronous reads (a cold disk)', async () => {
    const { store, blocks, reader } = setup(1)
    const block = blocks[0]!
    store.readMs = 0.5
    while (reader.pause() === undefined) {
      assert.equal(reader.readsNow(block.cid), true)
      reader.readNow(block.cid)
    }
    assert.equal(reader.readsNow(block.cid), false)
    assert.deepEqual(await reader.take(block.cid, []), block.bytes)
    assert.equal(store.asyncReads, 1)
    let asynchronous = 1
    while (!reader.readsNow(block.cid)) asynchronous++
    assert.ok(asynchronous > 100, `${asynchronous} blocks read asynchronously before trying again`)
  })

  it('reads the next blocks of the walk ahead, at most aheadBlocks at once, and each only once', async () => {
    const { store, blocks, reader } = setup(10, { aheadBlocks: 3 })
    store.readMs = 0.5
    // A slow turn sends the reads asynchronous, where they are read ahead.
    while (reader.pause() === undefined) reader.readNow(blocks[0]!.cid)
    store.asyncReads = 0
    const stack = blocks.slice(1).map((b) => b.cid).reverse()
    const first = reader.take(blocks[0]!.cid, stack)
    assert.equal(store.asyncReads, 4, 'the block asked for and the next three')
    assert.deepEqual(await first, blocks[0]!.bytes)
    for (const block of blocks.slice(1)) {
      const cid = stack.pop()!
      assert.equal(cid, block.cid)
      assert.equal(reader.readsNow(cid), false)
      assert.deepEqual(await reader.take(cid, stack), block.bytes)
    }
    assert.equal(store.asyncReads, blocks.length)
  })
})
