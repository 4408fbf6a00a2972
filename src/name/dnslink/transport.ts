/**
 * DNS messages to one server over UDP and TCP (RFC 1035 §4.2, RFC 7766), with a time limit
 * and `signal`. Queries go over UDP and fall back to TCP when the answer is truncated;
 * signed updates go over TCP, where no answer is ever cut short.
 */
import { createSocket } from 'node:dgram'
import { connect, isIPv6 } from 'node:net'
import { type DecodedPacket, decode, encode, type RecordType } from 'dns-packet'
import { DNS_QUERY_TIMEOUT_MS, DNS_UDP_PAYLOAD_BYTES } from '../../constants.ts'
import { AbortError, DnslinkError } from '../../errors.ts'

const DNS_PORT = 53
/** Bit 9 of the flags word: the answer did not fit (TC). */
const TRUNCATED = 1 << 9

export interface DnsServer {
  host: string
  port: number
}

/** A decoded answer. `dns-packet` sets `rcode` ('NOERROR', 'NXDOMAIN', ...) but its types leave it out. */
export interface DnsReply extends DecodedPacket {
  rcode: string
}

export interface ExchangeOptions {
  signal?: AbortSignal
  /** @default DNS_QUERY_TIMEOUT_MS (5 s) */
  timeoutMs?: number
}

/** `'192.0.2.1'`, `'192.0.2.1:5353'`, `'[2001:db8::1]:53'` or `'2001:db8::1'` → host and port. */
export function parseServer(address: string, option = 'server'): DnsServer {
  const text = address.trim()
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  let host = ''
  let port: string | undefined
  let parts = 1
  if (bracketed !== null) [, host = '', port] = bracketed
  else if (isIPv6(text)) host = text
  else {
    const split = text.split(':')
    parts = split.length
    ;[host = '', port] = split
  }
  const portNumber = port === undefined ? DNS_PORT : Number(port)
  if (host === '' || parts > 2 || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new DnslinkError(`dnslink: \`${option}\` must be host, host:port or [ipv6]:port, got '${address}'`)
  }
  return { host, port: portNumber }
}

export const formatServer = (s: DnsServer): string => (isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)

/** Runs `start` until it settles, the time limit passes or the signal fires; `cleanup` runs in every case. */
function bounded<T>(
  server: DnsServer,
  options: ExchangeOptions,
  start: (resolve: (value: T) => void, reject: (err: Error) => void) => () => void,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted === true) return reject(new AbortError('the DNS query was cancelled', { cause: options.signal.reason }))
    let cleanup = (): void => {}
    const finish = (): void => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      cleanup()
    }
    const onAbort = (): void => {
      finish()
      reject(new AbortError('the DNS query was cancelled', { cause: options.signal?.reason }))
    }
    const timer = setTimeout(() => {
      finish()
      reject(new DnslinkError(`the DNS server ${formatServer(server)} did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    options.signal?.addEventListener('abort', onAbort, { once: true })
    cleanup = start(
      (value) => {
        finish()
        resolve(value)
      },
      (err) => {
        finish()
        reject(new DnslinkError(`cannot reach the DNS server ${formatServer(server)}: ${err.message}`, { cause: err }))
      },
    )
  })
}

/** Sends one message over UDP and returns the first datagram that answers its ID. */
export function exchangeUdp(server: DnsServer, message: Buffer, options: ExchangeOptions = {}): Promise<Buffer> {
  const id = message.readUInt16BE(0)
  return bounded(server, options, (resolve, reject) => {
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4')
    socket.on('message', (reply) => {
      if (reply.length >= 12 && reply.readUInt16BE(0) === id) resolve(reply)
    })
    socket.on('error', reject)
    socket.send(message, server.port, server.host, (err) => {
      if (err) reject(err)
    })
    return () => socket.close()
  })
}

/** Sends one message over TCP (two-byte length prefix) and returns the answer. */
export function exchangeTcp(server: DnsServer, message: Buffer, options: ExchangeOptions = {}): Promise<Buffer> {
  return bounded(server, options, (resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port })
    let received = Buffer.alloc(0)
    socket.on('connect', () => {
      const length = Buffer.alloc(2)
      length.writeUInt16BE(message.length)
      socket.end(Buffer.concat([length, message]))
    })
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) resolve(received.subarray(2, 2 + received.readUInt16BE(0)))
    })
    socket.on('end', () => reject(new Error('the connection closed before a whole answer arrived')))
    socket.on('error', reject)
    return () => socket.destroy()
  })
}

/** Asks one server a question directly (no recursion): UDP first, TCP when the answer is truncated. */
export async function queryServer(server: DnsServer, name: string, type: RecordType, options: ExchangeOptions = {}): Promise<DnsReply> {
  const id = Math.floor(Math.random() * 0x10000)
  const message = encode({
    type: 'query',
    id,
    flags: 0, // No RD bit: authoritative servers are asked about their own zone, never to recurse.
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: DNS_UDP_PAYLOAD_BYTES, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  })
  let reply = await exchangeUdp(server, message, options)
  if ((reply.readUInt16BE(2) & TRUNCATED) !== 0) reply = await exchangeTcp(server, message, options)
  try {
    return decode(reply) as DnsReply
  } catch (err) {
    throw new DnslinkError(`the DNS server ${formatServer(server)} sent an unreadable answer: ${(err as Error).message}`, { cause: err })
  }
}
