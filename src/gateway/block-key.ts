/**
 * One string per block for sets and maps, from the CID's bytes: `cid.toString()` costs a
 * base32 encoding per block and caches the string on every CID, which shows on a DAG of
 * tens of thousands of blocks.
 */
import type { CID } from 'multiformats/cid'

/** A CIDv0 is a bare sha2-256 multihash; its CIDv1 form adds version 1 and codec dag-pb. */
const V0_AS_V1 = '\x01\x70'

/**
 * The key of the block a CID names: its CIDv1 bytes (version, codec, multihash). A CIDv0
 * and its CIDv1 form are one block; the codec stays in the key because it decides the
 * block's links, so the same bytes named raw and dag-pb are two nodes of a DAG.
 */
export function blockKey(cid: CID): string {
  const bytes = cid.bytes
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return cid.version === 0 ? V0_AS_V1 + key : key
}
