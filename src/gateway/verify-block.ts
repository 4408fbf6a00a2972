/**
 * What one block proves on its own: do its bytes hash to its CID, and which CIDs does it
 * link to. Nothing here trusts the sender; a block we cannot check is reported, never
 * waved through. Both run once per block of a site (tens of thousands), synchronously:
 * hashing is node:crypto's one-shot `hash`, and dag-pb links are read off the decoded
 * node without building a multiformats Block.
 */
import { hash } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { createUnsafe } from 'multiformats/block'
import { equals } from 'multiformats/bytes'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'

/** Multihash code → node:crypto algorithm. */
const HASHES = new Map<number, string>([
  [sha256.code, 'sha256'],
  [sha512.code, 'sha512'],
])

interface Decoder {
  code: number
  decode(bytes: Uint8Array): unknown
}

/** Codecs other than dag-pb whose links we can follow. */
const DECODERS = new Map<number, Decoder>([
  [dagCbor.code, dagCbor],
  [dagJson.code, dagJson],
])

/** Codecs that cannot hold links: plain JSON, CBOR without tag 42, a libp2p public key. */
const LEAF_CODECS = new Set<number>([raw.code, 0x0200, 0x51, 0x72])

const NO_LINKS: CID[] = []

export type HashCheck = { ok: true } | { ok: false; unknownHash: boolean; reason: string }

const HASH_OK: HashCheck = { ok: true }

function hex(code: number): string {
  return `0x${code.toString(16)}`
}

/** Whether `bytes` is the block `cid` names. An identity CID carries its bytes, so it checks against itself. */
export function checkHash(cid: CID, bytes: Uint8Array): HashCheck {
  const { code, digest } = cid.multihash
  if (code === identity.code) {
    return equals(digest, bytes) ? HASH_OK : { ok: false, unknownHash: false, reason: 'bytes differ from the identity CID' }
  }
  const algorithm = HASHES.get(code)
  if (algorithm === undefined) {
    return { ok: false, unknownHash: true, reason: `hash function ${hex(code)} is not supported, so the block cannot be checked` }
  }
  const actual = hash(algorithm, bytes, 'buffer')
  // A CID may carry a truncated digest; compare what it carries.
  const ok = digest.byteLength <= actual.byteLength && actual.compare(digest, 0, digest.byteLength, 0, digest.byteLength) === 0
  return ok ? HASH_OK : { ok: false, unknownHash: false, reason: 'bytes do not hash to the CID' }
}

export type LinksResult = { ok: true; links: CID[] } | { ok: false; reason: string }

/**
 * The CIDs a verified block links to; a codec we cannot read is an error, as its children
 * would go unchecked. The links never share memory with `bytes`, which may be a view into
 * a large network chunk that must not be kept alive by them.
 */
export function linksOf(cid: CID, bytes: Uint8Array): LinksResult {
  if (LEAF_CODECS.has(cid.code)) return { ok: true, links: NO_LINKS }
  try {
    if (cid.code === dagPb.code) return { ok: true, links: dagPb.decode(copy(bytes)).Links.map((link) => link.Hash) }
    const codec = DECODERS.get(cid.code)
    if (codec === undefined) return { ok: false, reason: `codec ${hex(cid.code)} is not supported, so its links cannot be followed` }
    const block = createUnsafe({ bytes, cid, codec, value: codec.decode(copy(bytes)) })
    return { ok: true, links: [...block.links()].map(([, link]) => link) }
  } catch (err) {
    return { ok: false, reason: `does not decode as ${codecName(cid.code)}: ${(err as Error).message}` }
  }
}

/** A copy in memory of its own (a Buffer's `slice` would be a view). */
function copy(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes)
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
