/**
 * `mock-ipfs-pinning-service` (the spec authors' reference server) as a child process on
 * a free loopback port: it installs `uncaughtException` listeners, so it must not share
 * the test's process. Its quirks (DESIGN.md): pins are keyed by CID, a status never
 * advances unless the name starts with `pinned-`/`failed-`, and the `meta` filter fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

export interface MockService {
  /** The API's base URL (no trailing slash). */
  url: string
  stop(): Promise<void>
}

// The child leaves when its stdin closes, so a crashed test run leaves no server behind.
const CHILD = `
const [modulePath, token, delegates] = process.argv.slice(1)
const { setup } = require(modulePath)
const http = require('node:http')
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
setup({ token, delegates, loglevel: 'error' }).then((app) => {
  const server = http.createServer(app).listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n')
  })
})
`

/** An address nobody listens on, as the service's delegate: dialling it fails at once, on loopback. */
export const UNREACHABLE_DELEGATE = '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWLb1MtzQdNHSbYLCH7Tn5GWxvWgb4yMmxh3qvRCmr7H8p'

export async function startMockService(options: { token: string; delegates?: string[] }): Promise<MockService> {
  const modulePath = createRequire(import.meta.url).resolve('mock-ipfs-pinning-service')
  const delegates = (options.delegates ?? [UNREACHABLE_DELEGATE]).join(',')
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD, modulePath, options.token, delegates], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const lines = createInterface({ input: child.stdout! })
  const exited = once(child, 'exit').then(() => {
    throw new Error(`the mock pinning service exited before it was ready: ${stderr}`)
  })
  const ready = (async () => {
    for await (const line of lines) return JSON.parse(line) as { port: number }
    throw new Error(`the mock pinning service printed nothing: ${stderr}`)
  })()
  const { port } = await Promise.race([ready, exited])
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return
      const gone = once(child, 'exit')
      child.stdin?.end()
      await gone
    },
  }
}
