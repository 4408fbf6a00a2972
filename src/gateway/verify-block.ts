/**
 * What one block proves on its own: do its bytes hash to its CID, and which CIDs does it
 * link to. Nothing here trusts the sender; a block we cannot check is reported, never
 * waved through.
 */
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { createUnsafe } from 'multiformats/block'
import { equals } from 'multiformats/bytes'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import type { MultihashHasher } from 'multiformats/hashes/interface'
import { sha256, sha512 } from 'multiformats/hashes/sha2'

const HASHERS = new Map<number, MultihashHasher>([
  [sha256.code, sha256],
  [sha512.code, sha512],
])

interface Decoder {
  code: number
  decode(bytes: Uint8Array): unknown
}

/** Codecs whose links we can follow. dag-pb covers UnixFS files, directories and HAMT shards. */
const DECODERS = new Map<number, Decoder>([
  [dagPb.code, dagPb],
  [dagCbor.code, dagCbor],
  [dagJson.code, dagJson],
])

/** Codecs that cannot hold links: plain JSON, CBOR without tag 42, a libp2p public key. */
const LEAF_CODECS = new Set<number>([raw.code, 0x0200, 0x51, 0x72])

export type HashCheck = { ok: true } | { ok: false; unknownHash: boolean; reason: string }

function hex(code: number): string {
  return `0x${code.toString(16)}`
}

/** Whether `bytes` is the block `cid` names. An identity CID carries its bytes, so it checks against itself. */
export async function checkHash(cid: CID, bytes: Uint8Array): Promise<HashCheck> {
  const { code, digest } = cid.multihash
  if (code === identity.code) {
    return equals(digest, bytes) ? { ok: true } : { ok: false, unknownHash: false, reason: 'bytes differ from the identity CID' }
  }
  const hasher = HASHERS.get(code)
  if (hasher === undefined) {
    return { ok: false, unknownHash: true, reason: `hash function ${hex(code)} is not supported, so the block cannot be checked` }
  }
  const actual = await hasher.digest(bytes)
  // A CID may carry a truncated digest; compare what it carries.
  const expected = actual.digest.subarray(0, digest.length)
  return equals(expected, digest) ? { ok: true } : { ok: false, unknownHash: false, reason: 'bytes do not hash to the CID' }
}

export type LinksResult = { ok: true; links: CID[] } | { ok: false; reason: string }

/** The CIDs a verified block links to; a codec we cannot read is an error, as its children would go unchecked. */
export function linksOf(cid: CID, bytes: Uint8Array): LinksResult {
  if (LEAF_CODECS.has(cid.code)) return { ok: true, links: [] }
  const codec = DECODERS.get(cid.code)
  if (codec === undefined) return { ok: false, reason: `codec ${hex(cid.code)} is not supported, so its links cannot be followed` }
  try {
    const block = createUnsafe({ bytes, cid, codec, value: codec.decode(bytes) })
    return { ok: true, links: [...block.links()].map(([, link]) => link) }
  } catch (err) {
    return { ok: false, reason: `does not decode as ${codecName(cid.code)}: ${(err as Error).message}` }
  }
}

function codecName(code: number): string {
  if (code === dagPb.code) return 'dag-pb'
  if (code === dagCbor.code) return 'dag-cbor'
  if (code === dagJson.code) return 'dag-json'
  return hex(code)
}

export function isIdentity(cid: CID): boolean {
  return cid.multihash.code === identity.code
}

/** One key per block whatever the CID version: a CIDv0 and its CIDv1 form name the same block. */
export function blockKey(cid: CID): string {
  return cid.toV1().toString()
}
