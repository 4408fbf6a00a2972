import { UsageError } from '../../errors.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'
import { pinJson, pinLine } from './pins.ts'

export const unpinCommand: Command = {
  name: 'unpin',
  summary: 'remove a local pin by CID or name',
  args: 'CID|NAME',
  options: {},
  details: `
Removes one pin from the embedded node. A name must match exactly one pin; when several
pins share it, give the CID. The pin's blocks stay in the store (other pins may share
them) until 'ipfs-publish gc' deletes what no pin reaches.`,
  async run({ positionals, config, output, signal }) {
    const [target, ...extra] = positionals
    if (target === undefined || extra.length > 0) {
      throw new UsageError("give one CID or pin name, e.g. 'ipfs-publish unpin bafy...' ('ipfs-publish pins' lists them)")
    }
    const cfg = await config()
    const { openNode } = await import('../../node/index.ts')
    const node = await openNode(cfg.store, { offline: true, signal })
    try {
      const pin = await node.unpin(target, { signal })
      output.result({ unpinned: pinJson(pin) }, [
        `unpinned ${pinLine(pin)}`,
        "its blocks stay in the store until 'ipfs-publish gc'",
      ])
      return EXIT_OK
    } finally {
      await node.stop()
    }
  },
}
