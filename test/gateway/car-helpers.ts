/** Reading and checking CAR responses the way a trustless client would. */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { CarReader } from '@ipld/car/reader'
import * as dagPb from '@ipld/dag-pb'
import type { CID } from 'multiformats/cid'
import type { Reply } from './fixture.ts'

export const all = async <T>(source: AsyncIterable<T> | Iterable<T>): Promise<T[]> => {
  const items: T[] = []
  for await (const item of source) items.push(item)
  return items
}

export async function readCar(r: Reply): Promise<{ roots: CID[]; blocks: Array<{ cid: CID; bytes: Uint8Array }> }> {
  const reader = await CarReader.fromBytes(r.body)
  const blocks: Array<{ cid: CID; bytes: Uint8Array }> = []
  for await (const block of reader.blocks()) blocks.push(block)
  return { roots: await reader.getRoots(), blocks }
}

/** Every block hashes to its CID (all fixture blocks are sha2-256). */
export function assertHashes(blocks: Array<{ cid: CID; bytes: Uint8Array }>): void {
  for (const { cid: c, bytes } of blocks) {
    assert.equal(c.multihash.code, 0x12)
    assert.deepEqual(new Uint8Array(createHash('sha256').update(bytes).digest()), c.multihash.digest, `block ${c} does not hash to its CID`)
  }
}

export const linksOf = (block: { cid: CID; bytes: Uint8Array }): CID[] =>
  block.cid.code === dagPb.code ? dagPb.decode(block.bytes).Links.map((l) => l.Hash) : []

/** Checks that blocks come in depth-first pre-order from the first one, each sent once. */
export function assertDepthFirst(blocks: Array<{ cid: CID; bytes: Uint8Array }>): void {
  const [first, ...rest] = blocks
  assert.ok(first !== undefined)
  const seen = new Set([first.cid.toString()])
  const stack: CID[][] = [linksOf(first)]
  for (const block of rest) {
    let expected: CID | undefined
    while (expected === undefined && stack.length > 0) {
      const frame = stack.at(-1)!
      const next = frame.shift()
      if (next === undefined) stack.pop()
      else if (!seen.has(next.toString())) expected = next
    }
    assert.equal(block.cid.toString(), expected?.toString(), 'blocks are not in depth-first order')
    seen.add(block.cid.toString())
    stack.push(linksOf(block))
  }
  assert.ok(stack.every((frame) => frame.every((c) => seen.has(c.toString()))), 'the CAR misses blocks of the DAG')
}
