/**
 * A benchmark contender: plain `@helia/unixfs` `addAll` with its own file source into
 * `blockstore-fs` (one file per block), with the profile so the CID is comparable.
 * Prints the root CID. `node bench/lib/pack-helia-fs.ts DIR STORE`
 */
import { globSource, unixfs } from '@helia/unixfs'
import { FsBlockstore } from 'blockstore-fs'

const [dir, path] = process.argv.slice(2) as [string, string]
const blockstore = new FsBlockstore(path)
await blockstore.open()
let root = ''
for await (const entry of unixfs({ blockstore }).addAll(globSource(dir, '**/*'), { profile: 'unixfs-v1-2025', wrapWithDirectory: true })) {
  root = entry.cid.toString()
}
await blockstore.close()
process.stdout.write(`${root}\n`)
