#!/usr/bin/env node
// Plain JavaScript so that an old Node reaches the version check and says what to do.
import { existsSync } from 'node:fs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: ipfs-publish needs Node.js 22.18 or newer (this is ${process.version}).\n` +
      'Inside this repository, run it through npm (npm run cli -- <command>), which uses the Node it installs;\n' +
      'elsewhere, install Node 24 LTS.\n',
  )
  process.exit(1)
}

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

process.exitCode = await main(process.argv.slice(2), { signal: controller.signal })
