/**
 * A minimal authoritative DNS server over UDP on loopback that answers TXT queries from a
 * map (NXDOMAIN otherwise), so the default resolver is tested against real DNS traffic.
 */
import { createSocket, type Socket } from 'node:dgram'
import { once } from 'node:events'

const TXT = 16

/** Reads the question name starting at byte 12 of a query; returns it and where the question ends. */
function readQuestion(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = []
  let at = 12
  while (query[at] !== 0) {
    const length = query[at]!
    labels.push(query.subarray(at + 1, at + 1 + length).toString('latin1'))
    at += length + 1
  }
  return { name: labels.join('.').toLowerCase(), type: query.readUInt16BE(at + 1), end: at + 5 }
}

/** One TXT answer pointing back at the question's name; each string is one chunk (< 256 bytes). */
function txtAnswer(chunks: string[]): Buffer {
  const data = Buffer.concat(chunks.map((c) => Buffer.concat([Buffer.from([Buffer.byteLength(c)]), Buffer.from(c)])))
  const fixed = Buffer.alloc(12)
  fixed.writeUInt16BE(0xc00c, 0) // name: a pointer to the question's
  fixed.writeUInt16BE(TXT, 2)
  fixed.writeUInt16BE(1, 4) // class IN
  fixed.writeUInt32BE(60, 6) // TTL
  fixed.writeUInt16BE(data.length, 10)
  return Buffer.concat([fixed, data])
}

export async function startDnsServer(records: Map<string, string[][]>): Promise<{ address: string; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4')
  socket.on('message', (query, peer) => {
    const question = readQuestion(query)
    const answers = question.type === TXT ? (records.get(question.name) ?? []) : []
    const header = Buffer.alloc(12)
    query.copy(header, 0, 0, 2) // the query's ID
    const known = [...records.keys()].some((n) => n === question.name)
    header.writeUInt16BE(0x8400 | (known ? 0 : 3), 2) // response, authoritative, NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4)
    header.writeUInt16BE(answers.length, 6)
    const reply = Buffer.concat([header, query.subarray(12, question.end), ...answers.map(txtAnswer)])
    socket.send(reply, peer.port, peer.address)
  })
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  return {
    address: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  }
}
