/**
 * CARv1 framing shared by the two CAR writers, `pack --car` (car.ts) and the gateway's
 * streamed CARs (gateway/car-encode.ts): the header, and each block's varint length.
 */
import { createWriter, headerLength } from '@ipld/car/buffer-writer'
import type { CID } from 'multiformats/cid'

/** The CARv1 header (varint length, then dag-cbor `{ version: 1, roots }`), as @ipld/car writes it. */
export function carHeader(root: CID): Uint8Array {
  const roots = [root]
  return createWriter(new ArrayBuffer(headerLength({ roots })), { roots }).close()
}

export function varintLength(n: number): number {
  let bytes = 1
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) bytes++
  return bytes
}

/** Unsigned LEB128, the varint of multiformats and CAR; returns where the next byte goes. */
export function writeVarint(target: Uint8Array, at: number, n: number): number {
  let i = at
  let v = n
  while (v >= 0x80) {
    target[i++] = (v & 0x7f) | 0x80
    v = Math.floor(v / 0x80)
  }
  target[i++] = v
  return i
}
