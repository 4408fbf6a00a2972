/**
 * Runs one contender as a child process and measures wall time and peak RSS, so that
 * every tool in a table is measured the same way whatever language it is written in.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const GNU_TIME = '/usr/bin/time'

export interface Measurement {
  name: string
  seconds: number
  /** Peak resident set size in MiB, or undefined where /usr/bin/time is missing. */
  peakRssMiB: number | undefined
  stdout: string
}

export async function measure(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; shell?: boolean; /** Each chunk of stderr as it arrives, with the seconds since the start. */ onStderr?: (text: string, seconds: number) => void } = {},
): Promise<Measurement> {
  const timed = existsSync(GNU_TIME)
  const rssMarker = '@@maxrss_kib='
  const argv = options.shell === true ? ['/bin/sh', '-c', command] : [command, ...args]
  const [file, ...rest] = timed ? [GNU_TIME, '-f', `${rssMarker}%M`, ...argv] : argv
  const started = process.hrtime.bigint()
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(file!, rest, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
      options.onStderr?.(d.toString(), Number(process.hrtime.bigint() - started) / 1e9)
    })
    child.on('error', reject)
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }))
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${stderr.slice(-4000)}`)
  const match = stderr.match(/@@maxrss_kib=(\d+)/)
  return { name, seconds, peakRssMiB: match === null ? undefined : Number(match[1]) / 1024, stdout }
}

/** Prints rows as an aligned table. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  console.log(line(headers))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const row of rows) console.log(line(row))
}

/** Writes a result file `bench/results/<name>-<timestamp>.json` and returns its path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  const dir = new URL('../results/', import.meta.url).pathname
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}

export function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch, date: new Date().toISOString() }
}
