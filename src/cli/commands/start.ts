import { isAbsolute, relative } from 'node:path'
import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_IPNS_KEY } from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { LocalSite, StartLocalProgressEvents } from '../../local.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'
import { formatBytes, type Output } from '../output.ts'
import { NO_CACHE_OPTION, showRenderCache } from './build-display.ts'

function parsePort(value: string | boolean | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port: expected a port number from 0 to 65535, got '${value}'`)
  return port
}

/** One line per stage on stderr; rendering and packing also get a progress line. */
function progressDisplay(output: Output, store: string, requestedPort: number | undefined): (event: StartLocalProgressEvents) => void {
  return (event) => {
    switch (event.type) {
      case 'local:stage':
        if (event.detail.stage === 'build') output.info('building the site...')
        return
      case 'build:warning':
        return output.warn(event.detail)
      case 'build:page':
        return output.progress(`rendering ${event.detail.done}/${event.detail.total} pages`)
      case 'build:command':
        return output.info(`running build command: ${event.detail.command}`)
      case 'build:cache':
        return showRenderCache(output, event.detail)
      case 'local:built':
        return output.info(`built ${event.detail.pages} pages, ${event.detail.files} files (${formatBytes(event.detail.bytes)})`)
      case 'pack:progress':
        return output.progress(`packing: ${event.detail.files} files, ${formatBytes(event.detail.bytes)}`)
      case 'local:packed': {
        const { cid, blocks, newBlocks, newBytes } = event.detail
        const change = newBlocks === 0 ? 'unchanged, 0 new blocks' : `${newBlocks} new blocks (${formatBytes(newBytes)})`
        return output.info(`packed ${cid}: ${blocks} blocks, ${change}`)
      }
      case 'node:pin:done':
        return output.info(`pinned in ${store} as '${event.detail.name}'`)
      case 'local:listening': {
        const moved = requestedPort === undefined && event.detail.port !== DEFAULT_GATEWAY_PORT
        return output.info(`gateway on ${event.detail.url}${moved ? ` (port ${DEFAULT_GATEWAY_PORT} was taken, so ${event.detail.port})` : ''}`)
      }
      case 'gateway:error':
        return output.warn(`gateway: ${event.detail.method} ${event.detail.url}: ${event.detail.message}`)
      case 'verify:done': {
        const { ok, blocks, bytes, timeMs, error } = event.detail
        return output.info(ok ? `verified through the gateway: ${blocks} blocks, ${formatBytes(bytes)}, ${timeMs} ms` : `verify FAILED: ${error}`)
      }
      case 'name:ipns:key-created':
        return output.info(`created the IPNS key '${event.detail.key}' (${store}/keys/${event.detail.key}.key): back it up, it is the name`)
      case 'name:ipns:published':
        return output.info(`published /ipns/${event.detail.name} (sequence ${event.detail.sequence})`)
    }
  }
}

function humanLines({ urls, replaced }: LocalSite, serving: boolean): string[] {
  return [
    ...replaced.map((cid) => `unpinned the previous version ${cid} (its blocks stay until 'ipfs-publish gc')`),
    '',
    serving ? 'open the site:' : 'the site (ipfs-publish serve serves these URLs):',
    `  ${urls.path}`,
    ...(urls.subdomain === undefined ? [] : [`  ${urls.subdomain}`]),
    `  ${urls.ipns ?? urls.ipnsPath}`,
    '',
    serving ? 'press Ctrl+C to stop' : 'gateway stopped (--no-serve)',
  ]
}

/** The store as the user would type it: relative when it is inside the working folder. */
function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path)
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

export const startCommand: Command = {
  name: 'start',
  summary: 'build, pack, pin, verify and publish locally, then serve the site (what npm start runs)',
  options: {
    port: { type: 'string', value: 'N', description: `gateway port (default ${DEFAULT_GATEWAY_PORT}, or the next free one; 0 picks any)` },
    host: { type: 'string', value: 'H', description: `gateway address (default ${DEFAULT_GATEWAY_HOST}: this machine only)` },
    key: { type: 'string', value: 'NAME', description: `IPNS key to publish under, created on first use (default ${DEFAULT_IPNS_KEY})` },
    'no-serve': { type: 'boolean', description: 'do everything, print the result, then stop instead of serving' },
    'no-cache': NO_CACHE_OPTION,
  },
  details: `
The whole pipeline with no account anywhere, against the embedded node in the store
folder (.ipfs-publish/ by default): renders the site, packs it (an unchanged site writes
no new block), pins it, serves it on the local gateway, fetches it back whole through
that gateway, and only then points the local IPNS name of --key at it. Then it serves
the site until Ctrl+C, which stops the gateway and closes the store cleanly.`,
  async run({ values, config, output, signal, cwd }) {
    const port = parsePort(values.port)
    const loaded = await config()
    const cfg = values['no-cache'] === true ? { ...loaded, build: { ...loaded.build, cache: false } } : loaded
    const key = typeof values.key === 'string' ? values.key : DEFAULT_IPNS_KEY
    // Loaded on use so that --help and other commands start without Helia.
    const { startLocal } = await import('../../local.ts')
    const site = await startLocal({
      config: cfg,
      host: typeof values.host === 'string' ? values.host : undefined,
      port,
      key,
      signal,
      onProgress: progressDisplay(output, shortPath(cwd, cfg.store), port),
    })
    const serving = values['no-serve'] !== true
    try {
      output.result(
        {
          cid: site.cid.toString(),
          ipns: site.ipns.name,
          urls: site.urls,
          files: site.pack.files,
          bytes: site.pack.bytes,
          newBlocks: site.pack.newBlocks,
          newBytes: site.pack.newBytes,
          sequence: site.ipns.sequence.toString(),
          replaced: site.replaced,
          port: site.address.port,
        },
        humanLines(site, serving),
      )
      if (serving && !signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    } finally {
      await site.stop()
    }
    if (serving) output.info('stopped; the store is closed')
    return EXIT_OK
  },
}
