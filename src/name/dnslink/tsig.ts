/**
 * TSIG (RFC 8945): an HMAC over a DNS message and a few variables, appended as the last
 * additional record. Written here over plain buffers because no maintained npm package
 * signs TSIG and `dns-packet` can neither encode a TSIG record's fields nor tell where a
 * received record starts; this file does both, for the request and to verify the answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { TSIG_FUDGE_SECONDS } from '../../constants.ts'

/** The HMAC algorithms RFC 8945 lists as mandatory or recommended, by their DNS names. */
export const TSIG_ALGORITHMS = { 'hmac-sha256': 'sha256', 'hmac-sha384': 'sha384', 'hmac-sha512': 'sha512' } as const
export type TsigAlgorithm = keyof typeof TSIG_ALGORITHMS

export interface TsigKey {
  /** The key's name as the server knows it, e.g. `deploy.` or `deploy-key`. */
  name: string
  algorithm: TsigAlgorithm
  secret: Uint8Array
}

/** TSIG error codes (RFC 8945 §4.3, §5.3). */
export const TSIG_ERRORS: Record<number, string> = { 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 22: 'BADTRUNC' }

const TYPE_TSIG = 250
const CLASS_ANY = 255

/** A name in canonical wire form: lower case, uncompressed, ending in the root label. */
export function wireName(name: string): Buffer {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.').filter((l) => l !== '')
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])])
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

const u48 = (n: number): Buffer => {
  const b = Buffer.alloc(6)
  b.writeUIntBE(n, 0, 6)
  return b
}

interface TsigFields {
  algorithm: string
  timeSigned: number
  fudge: number
  error: number
  other: Buffer
}

/** The "TSIG variables" the MAC covers besides the message (RFC 8945 §4.3.3). */
function variables(key: TsigKey, f: TsigFields): Buffer {
  const ttl = Buffer.alloc(4)
  return Buffer.concat([wireName(key.name), u16(CLASS_ANY), ttl, wireName(f.algorithm), u48(f.timeSigned), u16(f.fudge), u16(f.error), u16(f.other.length), f.other])
}

function hmac(key: TsigKey, parts: Buffer[]): Buffer {
  const mac = createHmac(TSIG_ALGORITHMS[key.algorithm], key.secret)
  for (const part of parts) mac.update(part)
  return mac.digest()
}

/** Appends a TSIG record to `message` (whose ARCOUNT it raises); returns the signed message and the MAC the answer must build on. */
export function signMessage(message: Buffer, key: TsigKey, now = Date.now()): { signed: Buffer; mac: Buffer } {
  const fields: TsigFields = { algorithm: key.algorithm, timeSigned: Math.floor(now / 1000), fudge: TSIG_FUDGE_SECONDS, error: 0, other: Buffer.alloc(0) }
  const mac = hmac(key, [message, variables(key, fields)])
  const rdata = Buffer.concat([wireName(fields.algorithm), u48(fields.timeSigned), u16(fields.fudge), u16(mac.length), mac, message.subarray(0, 2), u16(0), u16(0)])
  const fixed = Buffer.concat([u16(TYPE_TSIG), u16(CLASS_ANY), Buffer.alloc(4), u16(rdata.length)])
  const signed = Buffer.concat([message, wireName(key.name), fixed, rdata])
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10)
  return { signed, mac }
}

/** A name at `at`, following compression pointers; returns it and where it ends in place. */
function readName(buf: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = []
  let end: number | undefined
  for (let hops = 0; hops < 128; hops++) {
    const length = buf[at]
    if (length === undefined) break
    if ((length & 0xc0) === 0xc0) {
      end ??= at + 2
      at = buf.readUInt16BE(at) & 0x3fff
      continue
    }
    if (length === 0) return { name: labels.join('.'), end: end ?? at + 1 }
    labels.push(buf.toString('latin1', at + 1, at + 1 + length))
    at += 1 + length
  }
  throw new RangeError('malformed name in DNS message')
}

export interface ReceivedTsig extends TsigFields {
  keyName: string
  mac: Buffer
  originalId: number
  /** Where the TSIG record starts: the signed part of the message ends here. */
  offset: number
}

/** The TSIG record of a received message (the last additional record), or undefined when it has none. */
export function readTsig(buf: Buffer): ReceivedTsig | undefined {
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o))
  const [questions = 0, answers = 0, authorities = 0, additionals = 0] = counts
  if (additionals === 0) return undefined
  let at = 12
  for (let i = 0; i < questions; i++) at = readName(buf, at).end + 4
  let last = at
  for (let i = 0; i < answers + authorities + additionals; i++) {
    last = at
    at = readName(buf, at).end
    at += 10 + buf.readUInt16BE(at + 8)
  }
  const owner = readName(buf, last)
  if (buf.readUInt16BE(owner.end) !== TYPE_TSIG) return undefined
  let p = owner.end + 10
  const algorithm = readName(buf, p)
  p = algorithm.end
  const timeSigned = buf.readUIntBE(p, 6)
  const fudge = buf.readUInt16BE(p + 6)
  const macSize = buf.readUInt16BE(p + 8)
  const mac = buf.subarray(p + 10, p + 10 + macSize)
  p += 10 + macSize
  const otherLength = buf.readUInt16BE(p + 4)
  return {
    keyName: owner.name,
    algorithm: algorithm.name,
    timeSigned,
    fudge,
    mac,
    originalId: buf.readUInt16BE(p),
    error: buf.readUInt16BE(p + 2),
    other: buf.subarray(p + 6, p + 6 + otherLength),
    offset: last,
  }
}

/**
 * Checks a signed answer (RFC 8945 §5.3): the MAC over the request's MAC, the answer
 * without its TSIG record (ARCOUNT lowered, original ID) and the variables; and its time.
 * Returns what is wrong, or undefined when it is good.
 */
export function verifyAnswer(answer: Buffer, tsig: ReceivedTsig, requestMac: Buffer, key: TsigKey, now = Date.now()): string | undefined {
  if (tsig.keyName.toLowerCase().replace(/\.$/, '') !== key.name.toLowerCase().replace(/\.$/, '')) return `it is signed with another key ('${tsig.keyName}')`
  const unsigned = Buffer.from(answer.subarray(0, tsig.offset))
  unsigned.writeUInt16BE(tsig.originalId, 0)
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10)
  const expected = hmac(key, [u16(requestMac.length), requestMac, unsigned, variables(key, tsig)])
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) return 'its TSIG signature does not match'
  if (Math.abs(Math.floor(now / 1000) - tsig.timeSigned) > tsig.fudge) return 'its TSIG time is outside the allowed clock difference'
  return undefined
}
