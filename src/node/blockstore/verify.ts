import { createHash } from 'node:crypto'
import type { CID } from 'multiformats/cid'

/** Multihash codes the store can check, mapped to Node's digest names. */
const NODE_HASHES: ReadonlyMap<number, string> = new Map([
  [0x12, 'sha256'],
  [0x13, 'sha512'],
])
const IDENTITY = 0x00

/**
 * Whether `bytes` hash to `cid`'s multihash. Blocks under a hash function the store
 * cannot compute are reported as not matching: recovery must never trust what it
 * cannot check.
 */
export function hashMatches(cid: CID, bytes: Uint8Array): boolean {
  const { code, digest } = cid.multihash
  if (code === IDENTITY) return equalBytes(digest, bytes)
  const name = NODE_HASHES.get(code)
  if (name === undefined) return false
  const actual = createHash(name).update(bytes).digest()
  return actual.byteLength >= digest.byteLength && equalBytes(digest, actual.subarray(0, digest.byteLength))
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
}
