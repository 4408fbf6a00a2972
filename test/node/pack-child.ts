/**
 * Packs a folder into a store, one file per line read from stdin, reporting each file
 * on stdout: a test can let it run until its pack file is large and then kill it with
 * SIGKILL in the middle of writing. `node pack-child.ts STORE DIR`
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { openBlockstore } from '../../src/node/blockstore/index.ts'
import { pack } from '../../src/pack/index.ts'
import type { OutputFile } from '../../src/render/types.ts'

const [path, dir] = process.argv.slice(2) as [string, string]
const store = await openBlockstore({ path })
const go = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

async function* files(): AsyncGenerator<OutputFile> {
  let n = 0
  for (const name of readdirSync(dir).sort()) {
    await go.next()
    const file = join(dir, name)
    yield { path: name, content: { file, size: statSync(file).size } }
    process.stdout.write(`file ${++n}\n`)
  }
}

const result = await pack(files(), { blockstore: store })
await store.close()
process.stdout.write(`done ${result.cid}\n`)
process.exit(0)
