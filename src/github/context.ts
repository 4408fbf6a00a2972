/**
 * Reads the GitHub Actions run from the variables the runner sets and from the event
 * payload it writes to `GITHUB_EVENT_PATH`. The caller passes the environment (only the
 * CLI reads `process.env`).
 * https://docs.github.com/en/actions/reference/variables-reference#default-environment-variables
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */
import { readFile } from 'node:fs/promises'
import { GITHUB_DEFAULT_API_URL, GITHUB_DEFAULT_SERVER_URL, GITHUB_TOKEN_ENV } from '../constants.ts'
import type { DetectOptions, GitHubContext } from './types.ts'

type Env = Readonly<Record<string, string | undefined>>

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/
const COMMIT_SHA = /^[0-9a-f]{40}$/

/** What the event payload tells about the commit and the pull request; only the fields we use. */
interface EventFacts {
  sha?: string
  pullRequest?: number
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = value?.trim()
  return text === undefined || text === '' ? undefined : text
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

function prNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined
}

function commitSha(value: unknown): string | undefined {
  return typeof value === 'string' && COMMIT_SHA.test(value) ? value : undefined
}

/**
 * `pull_request*`: the PR and its head commit (GITHUB_SHA is the merge commit, on which a
 * status would not show). `workflow_run`: the triggering run's head commit, and its PR when
 * the payload lists one (it lists none for a fork's PR).
 */
export function eventFacts(eventName: string, payload: unknown): EventFacts {
  const event = record(payload)
  if (event === undefined) return {}
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = record(event.pull_request)
    return { sha: commitSha(record(pr?.head)?.sha), pullRequest: prNumber(pr?.number) }
  }
  if (eventName === 'workflow_run') {
    const run = record(event.workflow_run)
    const sha = commitSha(run?.head_sha)
    const prs = Array.isArray(run?.pull_requests) ? run.pull_requests.map(record) : []
    const match = prs.find((pr) => pr !== undefined && commitSha(record(pr.head)?.sha) === sha) ?? prs[0]
    return { sha, pullRequest: prNumber(match?.number) }
  }
  return {}
}

async function readEvent(path: string | undefined, warnings: string[]): Promise<unknown> {
  if (path === undefined) return undefined
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    warnings.push(`could not read the event payload ${path}: ${err instanceof Error ? err.message : String(err)}`)
    return undefined
  }
}

/**
 * The run's context, or undefined when this is not GitHub Actions (`GITHUB_ACTIONS` is not
 * `true`). Missing or malformed pieces become warnings and switch off the parts of the
 * report that need them; detection itself never fails.
 */
export async function detectGitHubActions(env: Env, options: DetectOptions = {}): Promise<GitHubContext | undefined> {
  if (env.GITHUB_ACTIONS !== 'true') return undefined
  const warnings: string[] = []
  const eventName = nonEmpty(env.GITHUB_EVENT_NAME) ?? ''
  const facts = eventFacts(eventName, await readEvent(nonEmpty(env.GITHUB_EVENT_PATH), warnings))

  const repository = REPOSITORY.exec(nonEmpty(env.GITHUB_REPOSITORY) ?? '')
  if (repository === null) warnings.push(`GITHUB_REPOSITORY is '${env.GITHUB_REPOSITORY ?? ''}', not owner/repo: no commit status or comment`)
  const sha = facts.sha ?? commitSha(nonEmpty(env.GITHUB_SHA))
  if (sha === undefined) warnings.push('no commit SHA in GITHUB_SHA or the event payload: no commit status')

  let pullRequest = facts.pullRequest
  let pullRequestTrusted = pullRequest !== undefined
  const hint = options.pullRequest
  if (hint !== undefined && prNumber(hint) === undefined) {
    warnings.push(`the pull request number must be a positive integer, got ${hint}`)
  } else if (hint !== undefined && pullRequest !== undefined && hint !== pullRequest) {
    warnings.push(`the event is for pull request #${pullRequest}, not #${hint} as given: using #${pullRequest}`)
  } else if (hint !== undefined && pullRequest === undefined) {
    pullRequest = hint
    pullRequestTrusted = false
  }

  const apiUrl = (nonEmpty(env.GITHUB_API_URL) ?? GITHUB_DEFAULT_API_URL).replace(/\/+$/, '')
  const serverUrl = (nonEmpty(env.GITHUB_SERVER_URL) ?? GITHUB_DEFAULT_SERVER_URL).replace(/\/+$/, '')
  const owner = repository?.[1]
  const repo = repository?.[2]
  const runId = nonEmpty(env.GITHUB_RUN_ID)
  return {
    ...(owner === undefined || repo === undefined ? {} : { owner, repo }),
    ...(sha === undefined ? {} : { sha }),
    eventName,
    ...(pullRequest === undefined ? {} : { pullRequest }),
    pullRequestTrusted,
    apiUrl,
    serverUrl,
    ...(owner !== undefined && runId !== undefined ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` } : {}),
    ...optional('token', nonEmpty(env[options.tokenEnv ?? GITHUB_TOKEN_ENV])),
    ...optional('stepSummaryFile', nonEmpty(env.GITHUB_STEP_SUMMARY)),
    ...optional('outputFile', nonEmpty(env.GITHUB_OUTPUT)),
    warnings,
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}
