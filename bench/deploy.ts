/**
 * Deploy benchmark: `ipfs-publish deploy` of the render benchmark's seeded blog (20,000
 * posts by default), run as a user runs it (the CLI, a child process) against the local
 * targets: the embedded node and our pin-server as a child process on loopback (verify
 * reads the site back through the pin-server's own gateway), with the embedded node's
 * IPNS name. First a deploy from an empty store, then a one-post change
 * (one post's body edited). For each: wall time, the site's bytes, what deploy counts as
 * new vs reused, and what the pin-server really fetched (its store's growth).
 *
 * Goals (issue 7): the redeploy sends under 1% of the site's bytes and takes under 10% of
 * the first deploy's time.
 *
 *   node bench/deploy.ts [--posts N]
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { DeployResult } from '../src/deploy/index.ts'
import { ensureBlogCorpus, withProjectTheme } from './lib/blog-corpus.ts'
import { machine, measure, printTable, writeResults } from './lib/measure.ts'
import { type BenchPinServer, startBenchPinServer, storedBlockBytes } from './lib/pin-server.ts'

const BIN = fileURLToPath(new URL('../bin/ipfs-publish.js', import.meta.url))
const { values } = parseArgs({ options: { posts: { type: 'string', default: '20000' } } })
const POSTS = Number(values.posts)
const TOKEN = 'bench-token'
const TOKEN_ENV = 'BENCH_PIN_TOKEN'
const GOAL_BYTES_PERCENT = 1
const GOAL_TIME_PERCENT = 10

interface Run {
  name: string
  seconds: number
  peakRssMiB: number | undefined
  cid: string
  files: number
  /** Bytes of the site's files. */
  siteBytes: number
  dagBytes: number
  newBlocks: number
  newBytes: number
  reusedBytes: number
  /** Growth of the pin-server's store during the run: what it fetched and wrote. */
  pinServerFetchedBytes: number
  /** Seconds from each stage's start (its `<stage>...` line on stderr) to the next's, the first from process start. */
  stages: Record<string, number>
}

const STAGE_LINE = /^(build|pack|car|previous|pin|verify|name)\.\.\.$/

/** Collects when each stage line appeared; `durations` turns those marks into seconds per stage. */
function stageClock(): { onStderr(text: string, at: number): void; durations(total: number): Record<string, number> } {
  const marks: Array<[string, number]> = [['startup', 0]]
  return {
    onStderr(text, at) {
      for (const line of text.split('\n')) {
        const stage = STAGE_LINE.exec(line.trim())?.[1]
        if (stage !== undefined) marks.push([stage, at])
      }
    },
    durations(total) {
      return Object.fromEntries(marks.map(([stage, at], i) => [stage, Number(((marks[i + 1]?.[1] ?? total) - at).toFixed(2))]))
    },
  }
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`
const percent = (part: number, whole: number): number => (100 * part) / whole

async function main(): Promise<void> {
  const corpus = await ensureBlogCorpus(POSTS)
  // A copy: the benchmark edits a post, and the shared corpus must stay as generated.
  const work = await mkdtemp(join(tmpdir(), 'ipfs-publish-bench-deploy-'))
  const serverDir = join(work, 'pin-server')
  let server: BenchPinServer | undefined = await startBenchPinServer(serverDir, TOKEN)
  const { url, port, gateway, gatewayPort } = server
  try {
    await cp(join(corpus, 'site'), join(work, 'site'), { recursive: true })
    await withProjectTheme(join(work, 'site'))
    await writeFile(join(work, 'package.json'), '{ "name": "bench-deploy", "private": true, "type": "module" }\n')
    const config = {
      site: 'site',
      store: 'store',
      targets: [
        { name: 'local', type: 'local' },
        // Verified through the service's own gateway: proves it can hand the whole site back.
        { name: 'pin-server', type: 'pinning-service', endpoint: url, tokenEnv: TOKEN_ENV, timeout: '30m', gateway },
      ],
      names: [{ type: 'ipns', key: 'site' }],
    }
    await writeFile(join(work, 'publish.config.json'), JSON.stringify(config, null, 2))

    // Measured with the server stopped: its store buffers writes and flushes them on exit.
    await server.stop()
    server = undefined
    const deploy = async (name: string): Promise<Run> => {
      const before = await storedBlockBytes(serverDir)
      server = await startBenchPinServer(serverDir, TOKEN, port, gatewayPort)
      const clock = stageClock()
      const m = await measure(name, process.execPath, [BIN, 'deploy', '--config', 'publish.config.json', '--json'], { cwd: work, env: { [TOKEN_ENV]: TOKEN }, onStderr: clock.onStderr })
      const r = JSON.parse(m.stdout) as DeployResult
      if (!r.ok) throw new Error(`${name}: deploy failed at ${r.stage}: ${r.error}`)
      await server.stop()
      server = undefined
      const fetched = (await storedBlockBytes(serverDir)) - before
      const { cid, files, bytes, dagBytes, newBlocks, newBytes, reusedBytes } = r
      const stages = clock.durations(m.seconds)
      console.log(`${name}: ${m.seconds.toFixed(2)} s, ${cid}, ${files} files, ${mb(newBytes)} new of ${mb(dagBytes)}`)
      console.log(`  seconds by stage: ${Object.entries(stages).map(([k, v]) => `${k} ${v}`).join(', ')}`)
      return { name, seconds: m.seconds, peakRssMiB: m.peakRssMiB, cid, files, siteBytes: bytes, dagBytes, newBlocks, newBytes, reusedBytes, pinServerFetchedBytes: fetched, stages }
    }

    const first = await deploy('first deploy')
    // One post's body edited: a paragraph appended to a post from the middle of the archive.
    const post = join(work, 'site', 'posts', `post-${Math.floor(POSTS / 2)}.md`)
    await writeFile(post, `${await readFile(post, 'utf8')}\nAn edit after the first deploy: one more sentence.\n`)
    const second = await deploy('one-post change')
    if (second.cid === first.cid) throw new Error('the edit did not change the CID')

    const bytesPercent = percent(second.newBytes, second.siteBytes)
    const fetchedPercent = percent(second.pinServerFetchedBytes, second.siteBytes)
    const timePercent = percent(second.seconds, first.seconds)
    console.log(`\ndeploy benchmark: ${POSTS} posts, local targets (embedded node + pin-server child process), ${machine().node}`)
    printTable(
      ['run', 'seconds', 'site bytes', 'DAG bytes', 'new', 'reused', 'pin-server fetched', 'peak RSS'],
      [first, second].map((r) => [
        r.name,
        r.seconds.toFixed(2),
        mb(r.siteBytes),
        mb(r.dagBytes),
        `${mb(r.newBytes)} (${r.newBlocks} blocks)`,
        mb(r.reusedBytes),
        mb(r.pinServerFetchedBytes),
        r.peakRssMiB === undefined ? 'n/a' : `${r.peakRssMiB.toFixed(0)} MiB`,
      ]),
    )
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
    console.log(`\nredeploy new bytes: ${bytesPercent.toFixed(3)}% of the site (goal < ${GOAL_BYTES_PERCENT}%: ${verdict(bytesPercent < GOAL_BYTES_PERCENT)})`)
    console.log(`redeploy fetched by the pin-server: ${fetchedPercent.toFixed(3)}% of the site`)
    console.log(`redeploy time: ${timePercent.toFixed(1)}% of the first deploy's (goal < ${GOAL_TIME_PERCENT}%: ${verdict(timePercent < GOAL_TIME_PERCENT)})`)
    const ratios = { redeployNewBytesPercentOfSite: bytesPercent, redeployFetchedPercentOfSite: fetchedPercent, redeployTimePercentOfFirst: timePercent }
    const goals = { bytesPercent: GOAL_BYTES_PERCENT, timePercent: GOAL_TIME_PERCENT }
    const file = await writeResults('deploy', { benchmark: 'deploy', posts: POSTS, machine: machine(), runs: [first, second], ratios, goals })
    console.log(`\nwritten ${file}`)
  } finally {
    await server?.stop()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
