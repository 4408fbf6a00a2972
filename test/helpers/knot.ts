/**
 * A real Knot DNS server (`knotd`, Debian package `knot`) for the DNSLink tests: started
 * unprivileged from a temp directory on a free loopback port, with a generated zone and
 * TSIG keys (one allowed to update, one not), and stopped at the end. Ready when it
 * answers the zone's SOA; no sleeps.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { queryServer } from '../../src/name/dnslink/transport.ts'

export const KNOTD = '/usr/sbin/knotd'
/** How long Knot may take to answer its first SOA query (it starts in ~75 ms). */
const READY_TIMEOUT_MS = 10_000
const READY_POLL_MS = 20

export interface KnotKey {
  name: string
  secret: string
}

export interface Knot {
  /** `127.0.0.1:<port>` */
  address: string
  port: number
  zone: string
  /** May update the zone. */
  key: KnotKey
  /** Known to the server, whose ACL denies it updates. */
  readOnlyKey: KnotKey
  stop(): Promise<void>
}

/** Skips loudly without knotd; under CI the missing package is a failure, not a skip. */
export function knotMissing(t: TestContext): boolean {
  if (existsSync(KNOTD)) return false
  const message = `Knot DNS is not installed: apt-get install knot (${KNOTD} is missing)`
  if (process.env.CI === 'true') assert.fail(`${message}; .ci/run installs it`)
  process.stderr.write(`\n*** SKIPPED the DNSLink RFC 2136 tests: ${message} ***\n\n`)
  t.skip(message)
  return true
}

/** A port free for both TCP and UDP on loopback right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const tcp = createServer()
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    const port = (tcp.address() as { port: number }).port
    const udp = createSocket('udp4')
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false))
      udp.bind(port, '127.0.0.1', () => resolve(true))
    })
    udp.close()
    await new Promise((resolve) => tcp.close(resolve))
    if (free) return port
  }
}

const config = (dir: string, port: number, zone: string, key: KnotKey, readOnly: KnotKey): string => `
server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: info
database:
    storage: "${dir}"
key:
  - id: ${key.name}
    algorithm: hmac-sha256
    secret: ${key.secret}
  - id: ${readOnly.name}
    algorithm: hmac-sha256
    secret: ${readOnly.secret}
acl:
  - id: deploy
    key: ${key.name}
    action: update
  - id: readonly
    key: ${readOnly.name}
    action: update
    deny: on
template:
  - id: default
    storage: "${dir}"
    zonefile-sync: -1
zone:
  - domain: ${zone}.
    file: "zone.db"
    acl: [deploy, readonly]
`

/** Starts knotd serving `zone`; `records` are extra zone-file lines (relative names allowed). */
export async function startKnot(zone: string, records: string[] = []): Promise<Knot> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-knot-'))
  const key = { name: 'deploy-key.', secret: randomBytes(32).toString('base64') }
  const readOnlyKey = { name: 'readonly-key.', secret: randomBytes(32).toString('base64') }
  const zoneFile = [`$ORIGIN ${zone}.`, '$TTL 300', '@ SOA ns1 hostmaster 1 3600 600 86400 60', '@ NS ns1', 'ns1 A 127.0.0.1', ...records, '']
  await writeFile(join(dir, 'zone.db'), zoneFile.join('\n'))
  const port = await freePort()
  await writeFile(join(dir, 'knot.conf'), config(dir, port, zone, key, readOnlyKey))
  const child: ChildProcess = spawn(KNOTD, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  const server = { host: '127.0.0.1', port }
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`knotd exited with code ${child.exitCode}:\n${log}`)
    }
    const reply = await queryServer(server, zone, 'SOA', { timeoutMs: 200 }).catch(() => undefined)
    if (reply?.rcode === 'NOERROR' && reply.answers?.some((a) => a.type === 'SOA')) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`knotd did not answer the SOA of ${zone} within ${READY_TIMEOUT_MS} ms:\n${log}`)
    }
    // Knot is still binding or loading the zone: ask again shortly.
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS))
  }
  return { address: `127.0.0.1:${port}`, port, zone, key, readOnlyKey, stop }
}
