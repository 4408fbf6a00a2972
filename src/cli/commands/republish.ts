import { DEFAULT_IPNS_KEY } from '../../constants.ts'
import { UsageError } from '../../errors.ts'
import type { NameProgressEvents } from '../../events.ts'
import type { IpnsComponents, IpnsPublishResult } from '../../name/index.ts'
import type { Command } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { EXIT_OK } from '../exit.ts'
import type { Output } from '../output.ts'

/** How the result appears in `--json` output (bigints as strings). */
export function ipnsResultJson(result: IpnsPublishResult): Record<string, unknown> {
  const { name, key, value, previous, sequence, validity, routers } = result
  return { name, key, value, previous: previous ?? null, sequence: sequence.toString(), validity, routers }
}

/** One line per router read, put and checked; retries on the transient line. */
export function ipnsProgress(output: Output): (event: NameProgressEvents) => void {
  return (event) => {
    switch (event.type) {
      case 'name:ipns:fetched': {
        const { source, state, sequence, value, reason } = event.detail
        const held = state === 'none' ? 'no record' : state === 'invalid' ? `a record that does not verify, ignored (${reason})` : `sequence ${sequence} → ${value}${state === 'expired' ? ' (expired)' : ''}`
        return state === 'invalid' ? output.warn(`${source}: ${held}`) : output.info(`${source}: ${held}`)
      }
      case 'name:ipns:retry':
        return output.progress(`${event.detail.router}: retrying in ${event.detail.delayMs} ms (${event.detail.reason})`, true)
      case 'name:ipns:put':
        return output.info(`${event.detail.router}: took sequence ${event.detail.sequence}`)
      case 'name:ipns:checked':
        return output.info(`${event.detail.router}: serves sequence ${event.detail.sequence} → ${event.detail.value}`)
      case 'name:ipns:published':
        return output.info(`signed /ipns/${event.detail.name} sequence ${event.detail.sequence}, valid until ${event.detail.validity}`)
    }
  }
}

export const republishCommand: Command = {
  name: 'republish',
  summary: 're-sign the IPNS name’s current value with a fresh lifetime (for a scheduled job)',
  options: {
    key: { type: 'string', value: 'NAME', description: `the keystore key of the name (default ${DEFAULT_IPNS_KEY})` },
    'key-from-env': { type: 'string', value: 'VAR', description: "sign with the key in this environment variable ('key export' output) instead" },
    router: { type: 'string', multiple: true, value: 'URL', description: 'a Delegated Routing V1 HTTP API endpoint, e.g. https://delegated-ipfs.dev' },
    lifetime: { type: 'string', value: 'DURATION', description: 'how long the new record is valid (default 30d)' },
    ttl: { type: 'string', value: 'DURATION', description: 'how long resolvers may cache it (default 5m)' },
  },
  details: `
Reads the name's record from every --router and from the embedded node's store, takes the
valid one with the highest sequence, and signs its value again with the next sequence and
a fresh lifetime; then puts it everywhere and reads it back, like a publish. Run it on a
schedule (e.g. weekly) so the name keeps resolving when the site is not deployed for longer
than the record's lifetime. Fails when the name has no valid record anywhere: a
republish never invents a value. Without flags, the key (key or keyEnv), routers, lifetime
and ttl come from the config's IPNS name. In CI, pass the key with --key-from-env.`,
  async run({ values, positionals, config, output, signal }) {
    if (positionals.length > 0) throw new UsageError(`republish takes no arguments, got '${positionals.join(' ')}'; name the key with --key`)
    const cfg = await config()
    // Flags win; otherwise the config's IPNS name says which key, routers and lifetimes.
    const configured = cfg.names.find((n) => n.type === 'ipns')
    const routers = Array.isArray(values.router) ? values.router : (configured?.routers ?? [])
    const lifetimeMs = typeof values.lifetime === 'string' ? parseDuration(values.lifetime, '--lifetime') : configured?.lifetimeMs
    const ttlMs = typeof values.ttl === 'string' ? parseDuration(values.ttl, '--ttl') : configured?.ttlMs
    if (lifetimeMs === 0) throw new UsageError('--lifetime: must be longer than 0')
    const flagKey = typeof values.key === 'string' ? values.key : undefined
    const flagEnv = typeof values['key-from-env'] === 'string' ? values['key-from-env'] : undefined
    const keyName = flagKey ?? (flagEnv === undefined ? configured?.key : undefined)
    const fromEnv = flagEnv ?? (flagKey === undefined ? configured?.keyEnv : undefined)
    // Loaded on use so that --help and other commands start without Helia.
    const { createIpnsPublisher, keyFromBase64, openKeystore } = await import('../../name/index.ts')
    const { openNode } = await import('../../node/index.ts')
    let key: Pick<IpnsComponents, 'keystore' | 'privateKey'>
    if (fromEnv !== undefined) {
      const text = process.env[fromEnv]
      if (text === undefined) throw new UsageError(`--key-from-env: the environment variable ${fromEnv} is not set`)
      key = { privateKey: keyFromBase64(text, `the environment variable ${fromEnv}`) }
    } else {
      key = { keystore: openKeystore(cfg.store) }
    }
    const node = await openNode(cfg.store, { offline: true, signal })
    try {
      const publisher = createIpnsPublisher({ helia: node.helia, ...key }, { key: keyName ?? fromEnv ?? DEFAULT_IPNS_KEY, routers, lifetimeMs, ttlMs })
      const result = await publisher.republish({ signal, onProgress: ipnsProgress(output) })
      const where = result.routers.length === 0 ? 'the local store' : `${result.routers.length} router(s) and the local store`
      output.result(ipnsResultJson(result), [`republished /ipns/${result.name} → ${result.value} (sequence ${result.sequence}) on ${where}, valid until ${result.validity}`])
      return EXIT_OK
    } finally {
      await node.stop()
    }
  },
}
