/**
 * `ipfs-publish pin-server` as a separate process, as a self-hoster runs it: its own
 * store and node, a token file, a free port; ready when it prints its JSON line.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { BIN } from '../helpers/cli.ts'

export interface PinServerProcess {
  url: string
  peerId: string
  /** The server node's multiaddrs (its `delegates`). */
  addresses: string[]
  /** Its read-only gateway, when started with `gateway: true`. */
  gateway?: string
  /** Everything it printed on stderr so far (its status lines). */
  stderr(): string
  stop(): Promise<void>
}

export async function startPinServerProcess(options: { token: string; fetchTimeout?: string; gateway?: boolean }): Promise<PinServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-pin-server-'))
  await writeFile(join(dir, 'tokens'), `${options.token}\n`)
  await chmod(join(dir, 'tokens'), 0o600)
  await writeFile(join(dir, 'config.json'), JSON.stringify({ store: 'store' }))
  const args = [BIN, 'pin-server', '--json', '--port', '0', '--token-file', 'tokens', '--config', 'config.json', '--fetch-timeout', options.fetchTimeout ?? '30s']
  if (options.gateway === true) args.push('--gateway-port', '0')
  const child: ChildProcess = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = once(child, 'exit')
      child.kill('SIGTERM')
      await gone
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const lines = createInterface({ input: child.stdout! })
    const exited = once(child, 'exit').then(() => {
      throw new Error(`pin-server exited before it was ready: ${stderr}`)
    })
    const ready = (async () => {
      for await (const line of lines) return JSON.parse(line) as { url: string; peerId: string; addresses: string[]; gateway?: string }
      throw new Error(`pin-server printed nothing: ${stderr}`)
    })()
    const info = await Promise.race([ready, exited])
    return { ...info, stderr: () => stderr, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
