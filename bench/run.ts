/**
 * `npm run bench`: every benchmark, one after the other, each printing its table and
 * writing its JSON to bench/results/. Pass a name to run one: `npm run bench -- render`.
 * Arguments after the name go to that benchmark (`npm run bench -- render --posts 2000`).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const BENCHMARKS = ['render', 'pack', 'deploy'] as const

const [only, ...rest] = process.argv.slice(2)
const selected = only === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => b === only)
if (selected.length === 0) {
  console.error(`unknown benchmark '${only}'; choose one of: ${BENCHMARKS.join(', ')}`)
  process.exit(2)
}

let failed = false
for (const name of selected) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
  if (!existsSync(file)) continue
  console.log(`\n=== ${name} ===`)
  const run = spawnSync(process.execPath, [file, ...(only === undefined ? [] : rest)], { stdio: 'inherit' })
  if (run.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${run.status})`)
    failed = true
  }
}
process.exitCode = failed ? 1 : 0
