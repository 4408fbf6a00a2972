import type { NodeProgressEvents } from '../../events.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'
import { formatBytes } from '../output.ts'

export const gcCommand: Command = {
  name: 'gc',
  summary: 'delete the blocks no local pin needs',
  options: {},
  details: `
Walks every pinned DAG in the embedded node's store and deletes every other block
(unpinned sites, pieces of builds that were never pinned). Pinned sites stay whole: if a
pinned DAG is missing a block, nothing is deleted and the pin is named. The store must
not be in use by another ipfs-publish (serve, deploy) while this runs.`,
  async run({ config, output, signal }) {
    const cfg = await config()
    const { openNode } = await import('../../node/index.ts')
    const node = await openNode(cfg.store, { offline: true, signal })
    let deleted = 0
    const onProgress = (event: NodeProgressEvents): void => {
      if (event.type === 'node:gc:marked') {
        output.info(`${event.detail.pins} pin(s) reach ${event.detail.blocks} block(s); deleting the rest`)
      } else if (event.type === 'node:gc:deleted') {
        output.progress(`deleted ${++deleted} block(s)`)
      }
    }
    try {
      const result = await node.gc({ signal, onProgress })
      output.result({ store: cfg.store, ...result }, [
        `freed ${result.blocks} block(s), ${formatBytes(result.bytes)}; kept ${result.kept} block(s) of ${result.pins} pin(s)`,
      ])
      return EXIT_OK
    } finally {
      await node.stop()
    }
  },
}
