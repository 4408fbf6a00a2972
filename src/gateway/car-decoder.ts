/**
 * A push decoder for the CAR a gateway streams to `verify`: CARv1, or CARv1 inside a
 * CARv2 (whose index is ignored). Chunks go in as they arrive and each block comes out
 * at once, as a view into the chunk that holds it; only a block spread over several
 * chunks is copied, once. A block larger than the limit is refused before any of it is
 * buffered, so a hostile length cannot make the verifier allocate without bound.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { Digest } from 'multiformats/hashes/digest'

/** What is wrong with a CAR stream: it ended early (`truncated`), or its bytes are not a CAR. */
export class CarStreamError extends Error {
  override name = 'CarStreamError'
  readonly truncated: boolean
  /** The error lies in the header (or the CARv2 wrapper), before any block. */
  readonly inHeader: boolean

  constructor(message: string, init: { truncated: boolean; inHeader: boolean; cause?: unknown }) {
    super(message, init.cause === undefined ? {} : { cause: init.cause })
    this.truncated = init.truncated
    this.inHeader = init.inHeader
  }
}

export interface CarDecoderInit {
  /** A block larger than this is refused (its section may add a CID). */
  maxBlockBytes: number
  onRoots: (roots: CID[]) => void
  /** Each block in stream order; `bytes` is only valid during the call (it may be a view into a chunk). */
  onBlock: (cid: CID, bytes: Uint8Array) => void
}

type State = 'headerLength' | 'header' | 'v2Header' | 'skip' | 'sectionLength' | 'section'

/** Room for the CID in front of a block in its section; a real CID is well under 100 bytes. */
const CID_ALLOWANCE = 1024
/** A varint of more bytes than this exceeds what a length can be (2^56). */
const MAX_VARINT_BYTES = 8
/** The CARv2 fixed header after its pragma: characteristics (16), data offset, data size, index offset (8 each). */
const V2_HEADER_BYTES = 40
const DAG_PB = 0x70
const SHA2_256 = 0x12
/** Blocks' CIDs are copied into shared buffers of this size. */
const CID_ARENA_BYTES = 64 * 1024

export class CarDecoder {
  private readonly init: CarDecoderInit
  private state: State = 'headerLength'
  private headerDone = false
  /** The inner header of a CARv2 must be version 1. */
  private inner = false
  /** Bytes consumed so far. */
  private position = 0
  /** Where a CARv2's data ends: bytes after it (the index) are ignored. */
  private limit = Number.POSITIVE_INFINITY
  private varint = 0
  private varintBytes = 0
  /** Bytes the current state needs, and how many it has (in `partial` when copied). */
  private need = 0
  private have = 0
  private partial: Uint8Array | undefined
  private arena = Buffer.alloc(0)
  private arenaAt = 0

  constructor(init: CarDecoderInit) {
    this.init = init
  }

  /** Whether the header (of a CARv2, the inner one too) has not been read whole yet. */
  get inHeader(): boolean {
    return !this.headerDone
  }

  push(chunk: Uint8Array): void {
    let at = 0
    while (at < chunk.byteLength) {
      const end = Math.min(chunk.byteLength, at + (this.limit - this.position))
      if (at >= end) {
        this.position += chunk.byteLength - at
        return
      }
      if (this.state === 'headerLength' || this.state === 'sectionLength') {
        const byte = chunk[at++] as number
        this.position++
        this.varint += (byte & 0x7f) * 2 ** (7 * this.varintBytes++)
        if ((byte & 0x80) !== 0) {
          if (this.varintBytes >= MAX_VARINT_BYTES) throw this.malformed('a length varint is too long')
          continue
        }
        const length = this.varint
        this.varint = 0
        this.varintBytes = 0
        this.expect(length)
      } else if (this.state === 'skip') {
        const n = Math.min(this.need - this.have, end - at)
        at += n
        this.position += n
        this.have += n
        if (this.have === this.need) this.state = 'headerLength'
      } else {
        const wanted = this.need - this.have
        if (this.partial === undefined && end - at >= wanted) {
          // Whole in this chunk: a view, no copy.
          const bytes = chunk.subarray(at, at + wanted)
          at += wanted
          this.position += wanted
          this.complete(bytes)
        } else {
          this.partial ??= new Uint8Array(this.need)
          const n = Math.min(wanted, end - at)
          this.partial.set(chunk.subarray(at, at + n), this.have)
          at += n
          this.position += n
          this.have += n
          if (this.have === this.need) {
            const bytes = this.partial
            this.partial = undefined
            this.complete(bytes)
          }
        }
      }
    }
  }

  /** The stream ended: fine between blocks, an error anywhere else. */
  end(): void {
    if (this.state === 'sectionLength' && this.varintBytes === 0) return
    if (!this.headerDone) throw new CarStreamError('the CAR ends inside its header', { truncated: true, inHeader: true })
    throw new CarStreamError('the CAR ends in the middle of a block', { truncated: true, inHeader: false })
  }

  /** A length was read: what it is the length of depends on the state. */
  private expect(length: number): void {
    if (this.state === 'headerLength') {
      if (length === 0) throw this.malformed('the header length is zero')
      if (length > this.init.maxBlockBytes) throw this.malformed(`the header is ${length} bytes long, over the ${this.init.maxBlockBytes}-byte limit`)
      this.gather('header', length)
    } else {
      if (length === 0) throw this.malformed('a block section has zero length')
      if (length > this.init.maxBlockBytes + CID_ALLOWANCE) {
        throw this.malformed(`a block section is ${length} bytes long, over the ${this.init.maxBlockBytes}-byte block limit`)
      }
      this.gather('section', length)
    }
  }

  private gather(state: State, need: number): void {
    this.state = state
    this.need = need
    this.have = 0
  }

  private complete(bytes: Uint8Array): void {
    if (this.state === 'section') {
      this.block(bytes)
      this.state = 'sectionLength'
    } else if (this.state === 'header') {
      this.header(bytes)
    } else {
      this.v2Header(bytes)
    }
  }

  private block(section: Uint8Array): void {
    let cid: CID
    try {
      cid = this.cid(section)
    } catch (err) {
      throw this.malformed(`a block's CID does not decode: ${(err as Error).message}`, err)
    }
    const bytes = section.subarray(cid.bytes.byteLength)
    if (bytes.byteLength > this.init.maxBlockBytes) {
      throw this.malformed(`block ${cid} is ${bytes.byteLength} bytes, over the ${this.init.maxBlockBytes}-byte block limit`)
    }
    this.init.onBlock(cid, bytes)
  }

  private header(bytes: Uint8Array): void {
    let value: unknown
    try {
      value = dagCbor.decode(bytes)
    } catch (err) {
      throw this.malformed(`it is not dag-cbor: ${(err as Error).message}`, err)
    }
    const { version, roots, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>
    const known = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(rest).length === 0
    if (!known) throw this.malformed('it is not a map of version and roots')
    if (version === 1 && Array.isArray(roots)) {
      const cids = roots.map((root) => CID.asCID(root))
      if (cids.some((cid) => cid === null)) throw this.malformed('a root is not a CID')
      this.headerDone = true
      this.state = 'sectionLength'
      this.init.onRoots(cids as CID[])
    } else if (version === 2 && roots === undefined && !this.inner) {
      this.gather('v2Header', V2_HEADER_BYTES)
    } else {
      throw this.malformed(version === 1 ? 'it has no roots' : `version ${String(version)} is not a CAR version this reads (1, or 2 around 1)`)
    }
  }

  private v2Header(bytes: Uint8Array): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const dataOffset = Number(view.getBigUint64(16, true))
    const dataSize = Number(view.getBigUint64(24, true))
    if (dataOffset < this.position) throw this.malformed(`the CARv2 data offset ${dataOffset} lies inside its header`)
    this.inner = true
    this.limit = dataOffset + dataSize
    this.gather('skip', dataOffset - this.position)
    if (this.need === 0) this.state = 'headerLength'
  }

  /**
   * The CID at the start of a section: a CIDv0 (a bare sha2-256 multihash) or a CIDv1.
   * Its bytes are copied out of the network chunk, which it must not keep alive, into a
   * shared buffer, and the CID is built over them: `CID.decode` would encode them again
   * into a small array of their own, which costs more than the rest of the decoding.
   */
  private cid(section: Uint8Array): CID {
    if (section[0] === SHA2_256 && section[1] === 0x20) {
      const bytes = this.copy(section, 34)
      return new CID(0, DAG_PB, new Digest(SHA2_256, 32, bytes.subarray(2), bytes), bytes)
    }
    const [version, afterVersion] = readVarint(section, 0)
    if (version !== 1) throw new Error(`CID version ${version} is neither 0 nor 1`)
    const [codec, afterCodec] = readVarint(section, afterVersion)
    const [hashCode, afterHash] = readVarint(section, afterCodec)
    const [digestLength, digestAt] = readVarint(section, afterHash)
    const bytes = this.copy(section, digestAt + digestLength)
    return new CID(1, codec, new Digest(hashCode, digestLength, bytes.subarray(digestAt), bytes.subarray(afterCodec)), bytes)
  }

  /** The first `length` bytes of `section`, copied. */
  private copy(section: Uint8Array, length: number): Uint8Array {
    if (length > section.byteLength) throw new Error('the CID is cut short')
    if (this.arenaAt + length > this.arena.byteLength) {
      this.arena = Buffer.allocUnsafeSlow(Math.max(CID_ARENA_BYTES, length))
      this.arenaAt = 0
    }
    const bytes = this.arena.subarray(this.arenaAt, this.arenaAt + length)
    bytes.set(section.subarray(0, length))
    this.arenaAt += length
    return bytes
  }

  private malformed(message: string, cause?: unknown): CarStreamError {
    return new CarStreamError(message, { truncated: false, inHeader: !this.headerDone, cause })
  }
}

/** Reads an unsigned varint at `at`; returns the value and where the next byte is. */
function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const byte = bytes[at + i]
    if (byte === undefined) throw new Error('the CID is cut short')
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return [value, at + i + 1]
  }
  throw new Error('a varint in the CID is too long')
}
