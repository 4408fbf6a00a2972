/**
 * DNSLink over RFC 2136 dynamic UPDATE signed with TSIG (RFC 8945): BIND, Knot, PowerDNS
 * and many hosted DNS services accept it. One UPDATE deletes the old `dnslink=` TXT
 * records and adds the new one, so the change is atomic on the server.
 *
 * The signer is ours (tsig.ts, over node:crypto) rather than `nsupdate` run with execa:
 * deploys then need no Debian `dnsutils` (laptops, macOS runners), the secret never goes
 * on a command line or into a key file, and the server's RCODE and TSIG error come back
 * as numbers to turn into clear messages instead of nsupdate's stderr to parse. The tests
 * run it against a real Knot server.
 */
import { DnslinkError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import type { NamePublisher } from '../index.ts'
import { readTxt } from './authoritative.ts'
import { createDnslinkPublisher, type DnslinkBackend, type DnslinkInit, type DnslinkPublishResult, normalizeDnslinkInit } from './publisher.ts'
import { dnslinkName, normalizeDomain, txtChunks } from './record.ts'
import { type DnsServer, type ExchangeOptions, exchangeTcp, formatServer, parseServer, queryServer } from './transport.ts'
import { readTsig, signMessage, TSIG_ALGORITHMS, type TsigAlgorithm, type TsigKey, verifyAnswer } from './tsig.ts'
import { encodeUpdate, updateError } from './update.ts'

export interface Rfc2136Components {
  /** The clock TSIG signs with. @default Date.now */
  now?: () => number
}

export interface Rfc2136Init extends DnslinkInit {
  /** The zone's primary server that accepts updates: `host` or `host:port` (default port 53). */
  server: string
  /** The zone to update. @default the zone the server reports for `_dnslink.<domain>` (from its SOA) */
  zone?: string
  key: {
    /** The TSIG key's name as the server knows it (Knot `key.id`, BIND `key "…"`). */
    name: string
    /** The shared secret, base64 (from the environment, never from config). */
    secret: string
    /** @default 'hmac-sha256' */
    algorithm?: TsigAlgorithm
  }
}

function normalizeKey(key: Rfc2136Init['key']): TsigKey {
  const algorithm = key.algorithm ?? 'hmac-sha256'
  if (!(algorithm in TSIG_ALGORITHMS)) {
    throw new DnslinkError(`dnslink: \`key.algorithm\` must be one of ${Object.keys(TSIG_ALGORITHMS).join(', ')}, got '${algorithm}'`)
  }
  if (typeof key.name !== 'string' || key.name.trim() === '') throw new DnslinkError('dnslink: `key.name` (the TSIG key name) is missing')
  // The secret's value is never quoted back, only whether it is usable.
  const text = typeof key.secret === 'string' ? key.secret.trim() : ''
  const secret = Buffer.from(text, 'base64')
  if (text === '' || secret.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new DnslinkError(`dnslink: the TSIG secret of key '${key.name}' is empty or not base64`)
  }
  return { name: key.name.trim(), algorithm, secret }
}

/** The zone holding `name`, as the server sees it: the owner of the SOA in its answer. */
async function findZone(server: DnsServer, name: string, options: ExchangeOptions): Promise<string> {
  const reply = await queryServer(server, name, 'SOA', options)
  const soa = [...(reply.answers ?? []), ...(reply.authorities ?? [])].find((a) => a.type === 'SOA')
  if (soa === undefined) throw new DnslinkError(`the server ${formatServer(server)} is not authoritative for ${name} (${reply.rcode}, no SOA): check \`server\` or set \`zone\``)
  return soa.name.toLowerCase()
}

/** A DNSLink publisher that updates the zone on its primary server with TSIG-signed RFC 2136 UPDATEs. */
export function createRfc2136Dnslink(components: Rfc2136Components, init: Rfc2136Init): NamePublisher<DnslinkPublishResult> {
  const common = normalizeDnslinkInit(init)
  const server = parseServer(init.server, 'server')
  const key = normalizeKey(init.key)
  const now = components.now ?? Date.now
  const record = dnslinkName(common.domain)
  let zone = init.zone === undefined ? undefined : normalizeDomain(init.zone, 'zone')
  const exchange = (options: AbortOptions): ExchangeOptions => ({ signal: options.signal, timeoutMs: common.queryTimeoutMs })

  const backend: DnslinkBackend = {
    provider: 'rfc2136',
    async list(options) {
      const answer = await readTxt(server, record, exchange(options))
      return answer.texts.map((text, i) => ({ text, ttl: answer.ttl ?? common.ttl, ref: answer.chunks[i] }))
    },
    async apply(plan, records, options) {
      zone ??= await findZone(server, record, exchange(options))
      const deletes = plan.current.map((r) => ({ name: record, chunks: r.ref as Buffer[] }))
      // A TXT RRset has one TTL: adding with another would change the other records' TTL too.
      const ttl = records[0]?.ttl ?? common.ttl
      const id = Math.floor(Math.random() * 0x10000)
      const message = encodeUpdate(id, zone, deletes, { name: record, chunks: txtChunks(plan.target), ttl })
      const { signed, mac } = signMessage(message, key, now())
      const answer = await exchangeTcp(server, signed, exchange(options))
      checkAnswer(answer, id, mac, { server: formatServer(server), zone, key, now: now() })
    },
    async authoritative() {
      return [server]
    },
  }
  return createDnslinkPublisher(backend, common)
}

/** Throws unless the answer is a success signed by the same key over our request. */
function checkAnswer(answer: Buffer, id: number, requestMac: Buffer, ctx: { server: string; zone: string; key: TsigKey; now: number }): void {
  if (answer.length < 12 || answer.readUInt16BE(0) !== id) throw new DnslinkError(`the server ${ctx.server} answered another message than the update sent`)
  const tsig = readTsig(answer)
  const failure = updateError(answer.readUInt16BE(2) & 0x0f, tsig?.error ?? 0, { server: ctx.server, zone: ctx.zone, keyName: ctx.key.name })
  if (failure !== undefined) throw failure
  if (tsig === undefined) throw new DnslinkError(`the server ${ctx.server} accepted the update for ${ctx.zone} but did not sign its answer, so it cannot be trusted`)
  const problem = verifyAnswer(answer, tsig, requestMac, ctx.key, ctx.now)
  if (problem !== undefined) throw new DnslinkError(`the answer of ${ctx.server} to the update for ${ctx.zone} is not trustworthy: ${problem}`)
}
