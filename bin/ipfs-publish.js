#!/usr/bin/env node
// Plain JavaScript so that an old Node reaches the version check and says what to do.
import { existsSync } from 'node:fs'
import module from 'node:module'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: ipfs-publish needs Node.js 22.18 or newer (this is ${process.version}).\n` +
      'Inside this repository, run it through npm (npm run cli -- <command>), which uses the Node it installs;\n' +
      'elsewhere, install Node 24 LTS.\n',
  )
  process.exit(1)
}

// Packing keeps every block's CID in the importer's tree until the root is built; those
// objects survive young-generation collections, so V8 keeps growing the young generation
// to its maximum (64 MB semi-spaces, 128 MB resident on a machine with much memory) for
// no gain. Measured on the 22,000-file blog: peak RSS 345 MB by default, 255 MB with 8 MB
// semi-spaces, same CPU time. V8 reads the size only at startup, so the commands that
// pack replace this process (same pid, same stdio and signals) with one started with the
// flag, unless a size was chosen already (NODE_OPTIONS, node flags) or execve is missing.
const PACKING_COMMANDS = ['pack', 'start', 'deploy']
const SEMI_SPACE_FLAG = '--max-semi-space-size'
const PACK_SEMI_SPACE_MB = 8
const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(SEMI_SPACE_FLAG))
if (PACKING_COMMANDS.includes(process.argv[2]) && !chosen && typeof process.execve === 'function') {
  const flag = `${SEMI_SPACE_FLAG}=${PACK_SEMI_SPACE_MB}`
  process.execve(process.execPath, [process.execPath, ...process.execArgv, flag, process.argv[1], ...process.argv.slice(2)])
}

// V8's compiled code for the few thousand modules a deploy loads, cached on disk between
// runs (Node keys it by content, in the OS temp folder): about 0.3 s off every start.
module.enableCompileCache?.()

// A published package runs the compiled lib/; a checkout runs the TypeScript sources directly.
const compiled = new URL('../lib/cli/main.js', import.meta.url)
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href)

const controller = new AbortController()
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The first Ctrl+C lets the running stage stop cleanly; a second one does not wait.
    if (interrupted) process.exit(130)
    interrupted = true
    process.stderr.write('\nstopping... (press Ctrl+C again to quit at once)\n')
    controller.abort()
  })
}

const code = await main(process.argv.slice(2), { signal: controller.signal })
// The command is done and has closed what it opened. Exit once stdout and stderr are
// flushed rather than when the last timer fires: libp2p leaves a one-second debounce
// timer behind when it stops, which made every deploy wait a second after its summary.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve))
await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit(code)
