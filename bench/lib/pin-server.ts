/**
 * `ipfs-publish pin-server` as a child process in a folder the benchmark chooses, so that
 * its store can be measured: its block pack files grow by the blocks it really fetched
 * from the deploying node (it writes a block only when it lacks it). The store buffers
 * writes, so it is measured with the server stopped (which flushes), not while it runs.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/ipfs-publish.js', import.meta.url))

export interface BenchPinServer {
  url: string
  port: number
  /** Its read-only gateway (`--gateway-port`), what deploy verifies through. */
  gateway: string
  gatewayPort: number
  /** Stops it (SIGTERM: it finishes its writes) and waits for it to exit. */
  stop(): Promise<void>
}

/** Bytes of the block pack files (`pack-*.ipb`: each block with a small record header) of the server in `dir`. */
export async function storedBlockBytes(dir: string): Promise<number> {
  let total = 0
  const store = join(dir, 'store')
  const entries = await readdir(store, { recursive: true, withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    if (entry.isFile() && /^pack-\d+\.ipb$/.test(entry.name)) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

/** Starts the server in `dir` (its store and token file there) on `port` and `gatewayPort` (0: a free one). */
export async function startBenchPinServer(dir: string, token: string, port = 0, gatewayPort = 0): Promise<BenchPinServer> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'tokens'), `${token}\n`)
  await chmod(join(dir, 'tokens'), 0o600)
  await writeFile(join(dir, 'config.json'), JSON.stringify({ store: 'store' }))
  // Its own project root: else a relative store resolves against the nearest package.json above (the benchmark's project).
  await writeFile(join(dir, 'package.json'), '{ "name": "bench-pin-server", "private": true }\n')
  const args = [BIN, 'pin-server', '--json', '--port', String(port), '--token-file', 'tokens', '--config', 'config.json', '--fetch-timeout', '30m', '--gateway-port', String(gatewayPort)]
  const child: ChildProcess = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = once(child, 'exit')
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  // Ready when it prints its JSON line (URL, peer, addresses) on stdout.
  const lines = createInterface({ input: child.stdout! })
  const ready = (async () => {
    for await (const line of lines) return JSON.parse(line) as { url: string; gateway: string }
    throw new Error(`pin-server printed nothing: ${stderr}`)
  })()
  const died = exited.then(() => {
    throw new Error(`pin-server exited before it was ready: ${stderr}`)
  })
  try {
    const { url, gateway } = await Promise.race([ready, died])
    return { url, port: Number(new URL(url).port), gateway, gatewayPort: Number(new URL(gateway).port), stop }
  } catch (err) {
    await stop()
    throw err
  }
}
