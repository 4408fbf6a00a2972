/**
 * Runs a workflow step's exact `run:` script the way a Linux runner does (`bash -e`, or
 * `bash --noprofile --norc -eo pipefail` for `shell: bash`), with the step's `env:` and
 * its `${{ }}` expressions filled in from values the test gives. An expression the test
 * did not give fails the run, so a workflow change cannot slip past with an empty value.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#defaultsrunshell
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseYaml, type Step, type Workflow } from './workflow-rules.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const STEP_TIMEOUT_MS = 120_000

/** The step of `job` in `.github/workflows/<file>` whose `id` or `name` is `step`. */
export async function workflowStep(file: string, job: string, step: string): Promise<Step> {
  const workflow = parseYaml<Workflow>(await readFile(join(ROOT, '.github/workflows', file), 'utf8'))
  const steps = (workflow.jobs[job]?.steps ?? []) as Array<Step & { id?: string; name?: string }>
  const found = steps.find((s) => s.id === step || s.name === step)
  if (found?.run === undefined) throw new Error(`${file}: job ${job} has no run step '${step}'`)
  return found
}

/** Replaces each `${{ expr }}` with `values[expr]`; throws on one it was not given. */
export function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    const value = values[expr]
    if (value === undefined) throw new Error(`no value given for the expression ${expr}`)
    return value
  })
}

/**
 * A checkout of this repository in a temp folder, as the runner's workspace: the code and
 * the site are links to ours, the store (`.ipfs-publish/`) and anything written are its own.
 */
export async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-workspace-'))
  for (const entry of ['bin', 'src', 'site', 'pipeline', 'node_modules', 'package.json', 'package-lock.json']) {
    await symlink(join(ROOT, entry), join(dir, entry))
  }
  return dir
}

export interface StepRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `step` in `cwd` with the runner's variables in `env` (from createActionsEnv), `node` being this Node. */
export function runStep(step: Step, options: { cwd: string; env: Record<string, string>; values: Record<string, string> }): Promise<StepRun> {
  const script = expand(step.run ?? '', options.values)
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), options.values)]))
  const shell = step.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', '-c'] : ['-e', '-c']
  const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? tmpdir(), ...options.env, ...stepEnv }
  return new Promise((resolve, reject) => {
    execFile('bash', [...shell, script], { cwd: options.cwd, env, timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') return reject(error)
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
  })
}
