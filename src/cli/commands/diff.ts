import type { CID } from 'multiformats/cid'
import { UsageError } from '../../errors.ts'
import { blockstorePath, openBlockstore } from '../../node/blockstore/index.ts'
import { diff } from '../../pack/index.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'
import { formatBytes } from '../output.ts'
import { parseCidArg } from '../cid.ts'

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two packed sites: paths added, removed, changed, and the new blocks',
  args: 'OLD_CID NEW_CID',
  options: {},
  details: `
Both DAGs must be in the local store (pack them first). The new blocks are the
ones NEW has and OLD lacks: what an upload of NEW must send to a place that has OLD.`,
  async run({ positionals, config, output, signal }) {
    if (positionals.length !== 2) throw new UsageError(`diff needs two CIDs, OLD_CID and NEW_CID, got ${positionals.length}`)
    const [oldCid, newCid] = positionals.map((text, i) => parseCidArg(text, i === 0 ? 'OLD_CID' : 'NEW_CID', 'ipfs-publish diff bafy... bafy...')) as [CID, CID]
    const cfg = await config()
    const store = await openBlockstore({ path: blockstorePath(cfg.store) })
    let result: Awaited<ReturnType<typeof diff>>
    try {
      result = await diff(oldCid, newCid, { blockstore: store, signal })
    } finally {
      await store.close()
    }
    output.result(
      {
        old: oldCid.toString(),
        new: newCid.toString(),
        added: result.added,
        removed: result.removed,
        changed: result.changed,
        newBlocks: result.newBlocks.length,
        newBytes: result.newBytes,
        newBlockCids: result.newBlocks.map(String),
      },
      [
        ...result.added.map((p) => `+ ${p}`),
        ...result.removed.map((p) => `- ${p}`),
        ...result.changed.map((p) => `~ ${p}`),
        `${result.added.length} added, ${result.removed.length} removed, ${result.changed.length} changed; ` +
          `${result.newBlocks.length} new blocks (${formatBytes(result.newBytes)})`,
      ],
    )
    return EXIT_OK
  },
}

