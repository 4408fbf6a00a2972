/**
 * The pack benchmark: every contender on the same corpora in one run, each as its own
 * child process so its peak RSS is its own. Prints a table with the ratios the pack
 * issue sets goals for, and writes bench/results/pack-<date>.json.
 *
 *   node_modules/.bin/node bench/pack.ts [--runs N] [--corpus blog|media]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { corpora } from './lib/corpus-pack.ts'
import { machine, type Measurement, measure, printTable, writeResults } from './lib/measure.ts'

// `--corpus media` (or `blog`) runs one corpus; both by default.
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, corpus: { type: 'string' } } })
const runs = Math.max(1, Number(values.runs))
const repo = new URL('../', import.meta.url).pathname
const node = process.execPath
const bin = join(repo, 'bin/ipfs-publish.js')

interface Contender {
  name: string
  /** Runs once in the scratch folder `work`; returns the root CID it printed. */
  run: (dir: string, work: string) => Promise<Measurement & { cid: string }>
}

const fromJson = (m: Measurement) => ({ ...m, cid: (JSON.parse(m.stdout) as { cid: string }).cid })
const lastLine = (m: Measurement) => ({ ...m, cid: m.stdout.trim().split('\n').at(-1) ?? '' })

const contenders: Contender[] = [
  { name: 'ours → store', run: async (dir, work) => fromJson(await measure('ours', node, [bin, 'pack', dir, '--json', '--quiet'], { cwd: work })) },
  {
    name: 'ours → store + CAR',
    run: async (dir, work) => fromJson(await measure('ours-car', node, [bin, 'pack', dir, '--json', '--quiet', '--car', join(work, 'ours.car')], { cwd: work })),
  },
  {
    name: 'ipfs-car pack',
    run: async (dir, work) => lastLine(await measure('ipfs-car', node, [join(repo, 'node_modules/ipfs-car/bin.js'), 'pack', dir, '--output', join(work, 'ipfs-car.car')])),
  },
  {
    name: 'addAll → blockstore-fs',
    run: async (dir, work) => lastLine(await measure('helia-fs', node, [join(repo, 'bench/lib/pack-helia-fs.ts'), dir, join(work, 'fs-blocks')])),
  },
  {
    name: 'cat | sha256sum',
    run: async (dir) => ({
      ...(await measure('sha256sum', `find '${dir}' -type f -print0 | sort -z | xargs -0 cat | sha256sum`, [], { shell: true })),
      cid: '-',
    }),
  },
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const results: Record<string, unknown>[] = []
let disagreement = false

for (const corpus of (await corpora(join(repo, 'bench/corpus'))).filter((c) => values.corpus === undefined || c.name === values.corpus)) {
  const { bytes } = JSON.parse((await measure('size', `du -sb --apparent-size '${corpus.dir}' | cut -f1 | xargs -I{} echo '{"bytes":{}}'`, [], { shell: true })).stdout) as { bytes: number }
  const rows: { name: string; seconds: number; rss: number | undefined; cid: string }[] = []
  for (const contender of contenders) {
    const times: number[] = []
    const rss: number[] = []
    let cid = ''
    for (let i = 0; i < runs; i++) {
      const work = await mkdtemp(join(tmpdir(), 'pack-bench-'))
      await writeFile(join(work, 'package.json'), '{"private":true}\n')
      // The previous contender's gigabyte of dirty pages is written back now, not while
      // the next one runs (it cost whoever came next up to 2 s of stalled writes).
      await measure('sync', 'sync', [])
      try {
        const m = await contender.run(corpus.dir, work)
        times.push(m.seconds)
        if (m.peakRssMiB !== undefined) rss.push(m.peakRssMiB)
        cid = m.cid
      } finally {
        await rm(work, { recursive: true, force: true })
      }
    }
    rows.push({ name: contender.name, seconds: median(times), rss: rss.length === 0 ? undefined : Math.max(...rss), cid })
  }
  const cids = new Set(rows.map((r) => r.cid).filter((c) => c !== '-'))
  const by = (name: string) => rows.find((r) => r.name === name)?.seconds ?? Number.NaN
  console.log(`\n${corpus.name} corpus: ${(bytes / 1e9).toFixed(2)} GB, ${runs} run(s), median seconds`)
  printTable(
    ['contender', 'seconds', 'MB/s', 'peak RSS MiB', 'x ipfs-car', 'x blockstore-fs', 'root CID'],
    rows.map((r) => [
      r.name,
      r.seconds.toFixed(2),
      (bytes / 1e6 / r.seconds).toFixed(0),
      r.rss === undefined ? '-' : r.rss.toFixed(0),
      (by('ipfs-car pack') / r.seconds).toFixed(2),
      (by('addAll → blockstore-fs') / r.seconds).toFixed(2),
      r.cid,
    ]),
  )
  if (cids.size !== 1) {
    disagreement = true
    console.log(`\n!!! ROOT CIDs DISAGREE on the ${corpus.name} corpus: ${[...cids].join(' vs ')} !!!\n`)
  } else {
    console.log(`all root CIDs agree: ${[...cids][0]}`)
  }
  results.push({ corpus: corpus.name, bytes, runs, rows, cidsAgree: cids.size === 1 })
}

console.log(`\nresults: ${await writeResults('pack', { machine: machine(), results })}`)
process.exitCode = disagreement ? 1 : 0
