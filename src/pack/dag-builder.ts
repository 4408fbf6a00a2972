/**
 * The importer's DAG builder with a short path for the common case of a site: a file
 * that fits in one raw-leaf chunk is exactly one raw block, its CID the hash of its
 * bytes. The importer's general path runs each such file through a chunker, a
 * validator, a buffer importer and a layout, each an async generator with its promises
 * (~40 KB of garbage per file, measured), which on a 22,000-file blog cost more time
 * and young-generation churn than hashing the bytes. Everything else (larger files,
 * dagPb leaves, symlinks, empty folders) goes through the importer itself, one entry at
 * a time, so its layout rules stay the only ones. The tree (folders, HAMT shards) is
 * always the importer's.
 */
import { createHash } from 'node:crypto'
import { type ImportCandidate, type ImporterOptions, importer, type WritableStorage } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { Digest } from 'multiformats/hashes/digest'
import { WholeFile } from './read.ts'

type DagBuilder = NonNullable<ImporterOptions['dagBuilder']>

const SHA2_256 = 0x12
const SHA2_256_BYTES = 32
/** CIDv1, raw codec, then the multihash prefix of a sha2-256 digest: the bytes before the digest. */
const RAW_CID_PREFIX = [0x01, raw.code, SHA2_256, SHA2_256_BYTES]
/** A `.` path segment, which the importer's default builder drops. */
const DOT_SEGMENT = /(^|\/)\.(\/|$)/
/** Name of the one entry of a delegated import: its result does not depend on it. */
const DELEGATE_NAME = 'entry'

/**
 * A DAG builder for `importer` that makes single-chunk files raw blocks itself and
 * hands every other entry to the importer's own builders. Only valid with raw leaves.
 */
export function rawLeafDagBuilder(options: ImporterOptions, chunkSize: number): DagBuilder {
  const delegateOptions: ImporterOptions = { ...options, wrapWithDirectory: false, dagBuilder: undefined }
  return async function* dagBuilder(source, blockstore) {
    for await (const entry of source) {
      // As the importer's default builder does: drop `.` segments, keep the original.
      const originalPath = entry.path
      const path = originalPath === undefined || !DOT_SEGMENT.test(originalPath) ? originalPath : originalPath.split('/').filter((segment) => segment !== '.').join('/')
      const content = 'content' in entry ? entry.content : undefined
      if ((content instanceof Uint8Array || content instanceof WholeFile) && sizeOf(content) <= chunkSize) {
        yield () => rawLeaf(content, blockstore, path, originalPath)
      } else {
        yield () => delegate(entry, blockstore, delegateOptions, path, originalPath)
      }
    }
  } as DagBuilder
}

function sizeOf(content: Uint8Array | WholeFile): number {
  return content instanceof WholeFile ? content.size : content.byteLength
}

async function rawLeaf(content: Uint8Array | WholeFile, blockstore: WritableStorage, path: string | undefined, originalPath: string | undefined) {
  const bytes = content instanceof WholeFile ? content.read() : content
  const cid = rawCid(createHash('sha256').update(bytes).digest())
  await blockstore.put(cid, bytes)
  return { cid, size: BigInt(bytes.byteLength), path, originalPath, unixfs: undefined }
}

/**
 * The CID of a raw block from its sha2-256 digest, with the CID, its multihash and the
 * digest all views of one 36-byte array (what `CID.decode` builds). The importer keeps
 * every file's CID until the root is built; `CID.createV1` would allocate two arrays.
 */
function rawCid(sha256: Uint8Array): CID {
  const bytes = new Uint8Array(RAW_CID_PREFIX.length + SHA2_256_BYTES)
  bytes.set(RAW_CID_PREFIX)
  bytes.set(sha256, RAW_CID_PREFIX.length)
  const multihash = bytes.subarray(2)
  return new CID(1, raw.code, new Digest(SHA2_256, SHA2_256_BYTES, multihash.subarray(2), multihash), bytes) as CID
}

/** Imports one entry alone, under a one-segment name, and gives it back its path. */
async function delegate(entry: ImportCandidate, blockstore: WritableStorage, options: ImporterOptions, path: string | undefined, originalPath: string | undefined) {
  let result: Awaited<ReturnType<ReturnType<typeof importer>['next']>>['value'] | undefined
  // A one-segment path: the importer stores no folder around the entry.
  for await (const imported of importer([{ ...entry, path: DELEGATE_NAME }], blockstore, { ...options })) result = imported
  if (result === undefined) throw new Error(`the importer produced nothing for ${originalPath}`)
  return { cid: result.cid, size: result.size, unixfs: result.unixfs, path, originalPath }
}
