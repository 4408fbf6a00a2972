import type { CID } from 'multiformats/cid'
import type { NameKind } from '../../name/index.ts'
import { parseCidArg } from '../cid.ts'
import type { Command } from '../command.ts'
import { EXIT_FAILURE, EXIT_OK } from '../exit.ts'

interface NameOutcome {
  kind: NameKind
  /** The IPNS name or the domain (before a first IPNS publish, the publisher's description). */
  name: string
  previous: string | undefined
  value: string
  status: 'updated' | 'unchanged' | 'failed' | 'would-update'
  error?: string
}

function line(o: NameOutcome): string {
  const arrow = `${o.previous ?? '(none)'} -> ${o.value}`
  if (o.status === 'failed') return `FAILED     ${o.kind} ${o.name}: ${o.error}`
  return `${o.status.padEnd(10)} ${o.kind} ${o.name}: ${o.status === 'unchanged' ? o.value : arrow}`
}

export const nameCommand: Command = {
  name: 'name',
  summary: "point every configured name (IPNS, DNSLink) at a CID; --dry-run shows old -> new",
  args: 'CID',
  options: {
    'dry-run': { type: 'boolean', description: 'read each name and show the change, without making it' },
  },
  details: `
Moves every name in the config's 'names' (the site's IPNS name; DNSLink records through
RFC 2136, Cloudflare or DNSimple) to /ipfs/<CID>, each checked by reading it back from
where it lives (the routers, the zone's authoritative servers). A failure in one name does
not stop the others; the exit code is 1 if any failed. Secrets come from the environment
variables the config names. This command does not check that the CID is pinned and
retrievable: 'ipfs-publish deploy' does, and moves names only then.`,
  async run({ values, positionals, config, output, signal }) {
    const cid: CID = parseCidArg(positionals[0], 'CID', 'ipfs-publish name bafy...')
    const cfg = await config()
    const value = `/ipfs/${cid}`
    if (cfg.names.length === 0) {
      output.result({ cid: cid.toString(), names: [] }, ["no names configured: add 'names' to the publish config"])
      return EXIT_OK
    }
    // Loaded on use so that --help and other commands start without Helia.
    const { openNode } = await import('../../node/index.ts')
    const { createNamePublishers } = await import('../../name/index.ts')
    const dryRun = values['dry-run'] === true
    const node = await openNode(cfg.store, { offline: true, signal })
    let outcomes: NameOutcome[]
    try {
      const publishers = createNamePublishers(cfg.names, { helia: node.helia, store: cfg.store, env: process.env })
      outcomes = await Promise.all(
        publishers.map(async (publisher): Promise<NameOutcome> => {
          const kind = publisher.kind ?? 'ipns'
          let previous: string | undefined
          try {
            previous = await publisher.current?.({ signal })
            if (dryRun) return { kind, name: publisher.name, previous, value, status: previous === value ? 'unchanged' : 'would-update' }
            const published = await publisher.publish(cid, { signal })
            return { kind, name: published.name, previous: published.previous ?? previous, value: published.value, status: published.status ?? 'updated' }
          } catch (err) {
            signal.throwIfAborted()
            return { kind, name: publisher.name, previous, value, status: 'failed', error: (err as Error).message }
          }
        }),
      )
    } finally {
      await node.stop()
    }
    output.result({ cid: cid.toString(), ...(dryRun ? { dryRun: true } : {}), names: outcomes }, outcomes.map(line))
    return outcomes.some((o) => o.status === 'failed') ? EXIT_FAILURE : EXIT_OK
  },
}
