/**
 * What a deploy reports to GitHub Actions, and where it reports it. `DeploySummary` is
 * filled by `deploy` from the stages' results; `GitHubContext` comes from the runner's
 * environment through `detectGitHubActions()`.
 */
import type { GitHubProgressEvents } from '../events.ts'
import type { NameKind } from '../name/index.ts'

/** One pin target's outcome. */
export interface DeployTargetSummary {
  /** The target's configured name. */
  name: string
  /** `skipped` when the run stopped before this target was asked. */
  status: 'pinned' | 'failed' | 'skipped'
  timeMs: number
  /** The target's id for the pin (Pinning Service API `requestid`, or the upload's root). */
  requestid?: string
  /** Why it failed, in words that say what to do. Never contains a secret. */
  error?: string
}

/** One name's outcome: moved, already there, refused, or left alone by the safety rule. */
export interface DeployNameSummary {
  kind: NameKind
  /** The IPNS name or the DNSLink domain. */
  name: string
  /** What it pointed at before (`/ipfs/<cid>`), when it pointed anywhere. */
  previous?: string
  /** What it points at now, or would have pointed at had the run not stopped. */
  value: string
  /** `skipped`: not moved because a required target or the verification failed. */
  status: 'updated' | 'unchanged' | 'failed' | 'skipped'
  error?: string
}

/** Everything the step summary, the outputs, the commit status and the PR comment show. */
export interface DeploySummary {
  /** The root CID of the site as packed. */
  cid: string
  kind: 'production' | 'preview'
  /** The preview's name (`pr-12`) when `kind` is `preview`. */
  preview?: string
  files: number
  /** Bytes of the site's files. */
  bytes: number
  /** Bytes of blocks the targets that take uploads did not have yet (sent this run). */
  newBytes: number
  /** Bytes of blocks found in the previous deploy (not sent again). */
  reusedBytes: number
  targets: DeployTargetSummary[]
  names: DeployNameSummary[]
  urls: {
    /** The site by CID on each configured gateway, e.g. `https://<cid>.ipfs.dweb.link/`. */
    gateway: string[]
    /** Where to look at this preview. */
    preview?: string
    /** The production site (its DNSLink domain or IPNS gateway URL). */
    site?: string
  }
  /** True when every required target pinned, the verification passed and the names moved. */
  ok: boolean
  /** What failed, when `ok` is false, in words that say what to do. */
  error?: string
}

/** The run as GitHub Actions describes it, read once from the environment and the event file. */
export interface GitHubContext {
  /** From `GITHUB_REPOSITORY`; absent when it is malformed (the API parts are then skipped). */
  owner?: string
  repo?: string
  /** The commit the deploy is for: the PR head for pull requests and `workflow_run` (not the merge commit). */
  sha?: string
  eventName: string
  /**
   * The pull request this run belongs to. `pullRequestTrusted` is false when it came from
   * the caller (an artifact of a fork's build) rather than from GitHub's own event payload:
   * it is then checked against the API (its head must be `sha`) before anything is posted.
   */
  pullRequest?: number
  pullRequestTrusted: boolean
  /** REST API base URL, without a trailing slash (`GITHUB_API_URL`; GHES differs). */
  apiUrl: string
  /** Web base URL (`GITHUB_SERVER_URL`). */
  serverUrl: string
  /** This workflow run's page, for links from the summary and failed statuses. */
  runUrl?: string
  /** Absent when the job was given none: reporting then stays in files (summary, outputs). */
  token?: string
  /** `GITHUB_STEP_SUMMARY`: the file the step summary is appended to. */
  stepSummaryFile?: string
  /** `GITHUB_OUTPUT`: the file step outputs are appended to. */
  outputFile?: string
  /** Problems met while reading the context (unreadable event file, ...): reported, never fatal. */
  warnings: string[]
}

export interface DetectOptions {
  /** The environment variable holding the API token. @default GITHUB_TOKEN_ENV ('GITHUB_TOKEN') */
  tokenEnv?: string
  /**
   * The PR number from the caller (`--pull-request`), for a `workflow_run` of a fork's PR,
   * whose payload lists no pull request. Untrusted: checked against the API before use.
   */
  pullRequest?: number
}

export interface ReportOptions {
  signal?: AbortSignal
  /** Injected for tests. @default globalThis.fetch */
  fetch?: typeof fetch
  /** Time allowed for each API request's response headers. @default GITHUB_API_TIMEOUT_MS */
  timeoutMs?: number
  /** Further attempts after a 5xx, 429 or network error. @default HTTP_RETRIES */
  retries?: number
  /** Delay before the first retry (tests make it short). @default HTTP_RETRY_MIN_DELAY_MS */
  minRetryDelayMs?: number
  onProgress?: (event: GitHubProgressEvents) => void
}

/** Which part of the report a warning is about. */
export type ReportStep = 'context' | 'summary' | 'outputs' | 'status' | 'comment'

export interface ReportWarning {
  step: ReportStep
  message: string
}

export interface ReportResult {
  /** The step summary file appended to, when there was one and the write worked. */
  summaryFile?: string
  /** The outputs written to `GITHUB_OUTPUT`, by name. */
  outputs: Record<string, string>
  /** The commit status set. */
  status?: { context: string; state: 'success' | 'failure'; targetUrl?: string; description: string }
  /** The PR comment, and whether this run created it or updated the earlier one. */
  comment?: { id: number; url: string; action: 'created' | 'updated' }
  /** What could not be reported. A deploy never fails because of these. */
  warnings: ReportWarning[]
}
