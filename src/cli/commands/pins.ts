import type { LocalPin } from '../../node/index.ts'
import type { Command } from '../command.ts'
import { EXIT_OK } from '../exit.ts'

/** How a pin appears in `--json` output. */
export function pinJson(pin: LocalPin): { cid: string; name: string; created: string; metadata: LocalPin['metadata'] } {
  return { cid: pin.cid.toString(), name: pin.name, created: pin.created, metadata: pin.metadata }
}

/** One human line: CID, name, creation time, then the metadata as key=value. */
export function pinLine(pin: LocalPin): string {
  const metadata = Object.entries(pin.metadata)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
  return [pin.cid.toString(), pin.name === '' ? '-' : pin.name, pin.created, ...metadata].join('  ')
}

export const pinsCommand: Command = {
  name: 'pins',
  summary: 'list the sites pinned in the embedded node',
  options: {},
  details: `
Lists the local pins of the embedded node (in the config's store folder, default
.ipfs-publish/), oldest first: CID, name, when it was pinned, and its metadata (site,
commit, ...). Every block of a listed pin is in the store. Remove one with
'ipfs-publish unpin', then free its blocks with 'ipfs-publish gc'.`,
  async run({ config, output, signal }) {
    const cfg = await config()
    // Loaded on use so that --help and other commands start without Helia.
    const { openNode } = await import('../../node/index.ts')
    const node = await openNode(cfg.store, { offline: true, signal })
    try {
      const pins = await node.listPins({ signal })
      output.result(
        { store: cfg.store, pins: pins.map(pinJson) },
        pins.length === 0 ? [`no local pins in ${cfg.store}`] : pins.map(pinLine),
      )
      return EXIT_OK
    } finally {
      await node.stop()
    }
  },
}
