/**
 * A simulated GitHub Actions step: the `GITHUB_*` variables a runner sets, with real temp
 * files for the step summary, the outputs and the event payload. Pair it with
 * `startGitHubApi()` (test/helpers/github-api.ts) and pass `env` to the code under test, or
 * to the CLI as a child process's environment.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ActionsEnvInit {
  apiUrl: string
  token: string
  repository: string
  eventName: string
  /** The webhook payload the runner writes to `GITHUB_EVENT_PATH`. */
  event: unknown
  /** `GITHUB_SHA` (for a pull_request run, the merge commit). */
  sha: string
  runId?: string
}

export interface ActionsEnv {
  env: Record<string, string>
  dir: string
  summary(): Promise<string>
  outputs(): Promise<Record<string, string>>
  rawOutputs(): Promise<string>
  cleanup(): Promise<void>
}

/**
 * Parses `GITHUB_OUTPUT` the way the runner does: `name=value` lines, and `name<<DELIM`
 * heredocs that end at the first line equal to DELIM. Throws on what the runner rejects
 * (an unterminated heredoc, a line that is neither form).
 */
export function parseOutputFile(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/)
  const outputs: Record<string, string> = {}
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (heredoc !== -1 && (eq === -1 || heredoc < eq)) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      const end = lines.indexOf(delimiter, i + 1)
      if (delimiter === '' || end === -1) throw new Error(`output ${name}: no line ends the heredoc ${delimiter}`)
      outputs[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (eq !== -1) {
      outputs[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`invalid output line: ${line}`)
    }
  }
  return outputs
}

export async function createActionsEnv(init: ActionsEnvInit): Promise<ActionsEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-actions-'))
  const files = { summary: join(dir, 'step_summary'), output: join(dir, 'output'), event: join(dir, 'event.json') }
  // The runner creates both files empty before the step starts.
  await Promise.all([writeFile(files.summary, ''), writeFile(files.output, ''), writeFile(files.event, JSON.stringify(init.event))])
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: init.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: init.repository,
    GITHUB_SHA: init.sha,
    GITHUB_EVENT_NAME: init.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_RUN_ID: init.runId ?? '4242',
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_TOKEN: init.token,
  }
  return {
    env,
    dir,
    summary: () => readFile(files.summary, 'utf8'),
    rawOutputs: () => readFile(files.output, 'utf8'),
    outputs: async () => parseOutputFile(await readFile(files.output, 'utf8')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/** Payload of a `pull_request` event: the PR and its head commit (only the fields we read, as GitHub names them). */
export function pullRequestEvent(number: number, headSha: string): unknown {
  return { action: 'synchronize', number, pull_request: { number, head: { sha: headSha, ref: `branch-${number}` }, base: { ref: 'main' } } }
}

/** Payload of a `workflow_run` event; `pullRequests` is empty for a fork's PR, as GitHub sends it. */
export function workflowRunEvent(headSha: string, pullRequests: Array<{ number: number; headSha: string }>): unknown {
  return {
    action: 'completed',
    workflow_run: {
      id: 99,
      event: 'pull_request',
      conclusion: 'success',
      head_sha: headSha,
      pull_requests: pullRequests.map((pr) => ({ number: pr.number, head: { sha: pr.headSha, ref: 'topic' }, base: { ref: 'main' } })),
    },
  }
}
