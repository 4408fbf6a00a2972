/**
 * RFC 2136 UPDATE messages and what their answers mean. The message is written by hand:
 * deleting one record needs class NONE (254), which `dns-packet` cannot encode.
 */
import { DnslinkAuthError, DnslinkError } from '../../errors.ts'
import { TSIG_ERRORS } from './tsig.ts'
import { wireName } from './tsig.ts'

const OPCODE_UPDATE = 5
const TYPE_SOA = 6
const TYPE_TXT = 16
const CLASS_IN = 1
/** RFC 2136 §2.5.4: "delete an RR from an RRset" uses class NONE and TTL 0. */
const CLASS_NONE = 254

export interface TxtChange {
  name: string
  /** The record's character-strings, byte for byte (a delete must match the stored record exactly). */
  chunks: Buffer[]
}

function record(name: string, klass: number, ttl: number, chunks: Buffer[]): Buffer {
  const rdata = Buffer.concat(chunks.map((c) => Buffer.concat([Buffer.from([c.length]), c])))
  const fixed = Buffer.alloc(10)
  fixed.writeUInt16BE(TYPE_TXT, 0)
  fixed.writeUInt16BE(klass, 2)
  fixed.writeUInt32BE(ttl, 4)
  fixed.writeUInt16BE(rdata.length, 8)
  return Buffer.concat([wireName(name), fixed, rdata])
}

/**
 * One UPDATE for `zone` with no prerequisites: deletes the given TXT records and adds the
 * new one. A server applies a message whole or not at all, so the name is never without
 * a DNSLink record and never has two.
 */
export function encodeUpdate(id: number, zone: string, deletes: TxtChange[], add: TxtChange & { ttl: number }): Buffer {
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id, 0)
  header.writeUInt16BE(OPCODE_UPDATE << 11, 2)
  header.writeUInt16BE(1, 4) // ZOCOUNT
  header.writeUInt16BE(0, 6) // PRCOUNT
  header.writeUInt16BE(deletes.length + 1, 8) // UPCOUNT
  const zoneSection = Buffer.concat([wireName(zone), Buffer.from([0, TYPE_SOA, 0, CLASS_IN])])
  const updates = [...deletes.map((d) => record(d.name, CLASS_NONE, 0, d.chunks)), record(add.name, CLASS_IN, add.ttl, add.chunks)]
  return Buffer.concat([header, zoneSection, ...updates])
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
}

export interface UpdateContext {
  server: string
  zone: string
  keyName: string
}

/** The error an answer's RCODE and TSIG error stand for, in words that say what to fix; undefined for success. */
export function updateError(rcode: number, tsigError: number, ctx: UpdateContext): Error | undefined {
  const key = ctx.keyName
  const name = RCODES[rcode] ?? `RCODE ${rcode}`
  const tsig = TSIG_ERRORS[tsigError]
  if (tsig === 'BADKEY') {
    // Knot also answers BADKEY for a key that no ACL of the zone names.
    return new DnslinkAuthError(
      `the server ${ctx.server} does not know the TSIG key '${key}': check the key name, and that the zone's update ACL names it (BADKEY)`,
    )
  }
  if (tsig === 'BADSIG') return new DnslinkAuthError(`the TSIG secret for key '${key}' is wrong: the server ${ctx.server} rejected the signature (BADSIG)`)
  if (tsig === 'BADTIME') {
    return new DnslinkAuthError(`the server ${ctx.server} rejected the TSIG time of key '${key}' (BADTIME): this machine's clock and the server's differ too much`)
  }
  if (tsigError !== 0) return new DnslinkAuthError(`the server ${ctx.server} rejected the TSIG signature of key '${key}' (${tsig ?? `TSIG error ${tsigError}`})`)
  switch (name) {
    case 'NOERROR':
      return undefined
    case 'REFUSED':
    case 'NOTAUTH':
      return new DnslinkAuthError(`the server ${ctx.server} refused the update for ${ctx.zone} (${name}): the key '${key}' may lack update rights, or the server is not its primary`)
    case 'NOTZONE':
      return new DnslinkError(`the server ${ctx.server} says the DNSLink name is outside the zone ${ctx.zone} (NOTZONE): check \`zone\``)
    case 'NOTIMP':
      return new DnslinkError(`the server ${ctx.server} does not support dynamic updates (NOTIMP)`)
    case 'SERVFAIL':
      return new DnslinkError(`the server ${ctx.server} failed to apply the update for ${ctx.zone} (SERVFAIL): see its logs`)
    default:
      return new DnslinkError(`the server ${ctx.server} rejected the update for ${ctx.zone} with ${name}`)
  }
}
