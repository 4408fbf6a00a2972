/**
 * One fake GitHub API and one simulated Actions step per test file, reset before each test,
 * and the progress events every test emitted.
 */
import { after, before, beforeEach } from 'node:test'
import type { GitHubProgressEvents } from '../../src/events.ts'
import type { ReportOptions } from '../../src/github/index.ts'
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.ts'
import { type ActionsEnv, createActionsEnv, pullRequestEvent } from './actions-env.ts'
import { HEAD_SHA, MERGE_SHA, REPOSITORY, TOKEN } from './fixtures.ts'

export interface ReportHarness {
  api: GitHubApi
  actions: ActionsEnv
  events: GitHubProgressEvents[]
  /** Fast retries, events recorded. */
  options(): ReportOptions
}

/** Registers the hooks; the returned object's fields are set once `before` has run. PR #7 exists with head HEAD_SHA. */
export function useReportHarness(): ReportHarness {
  const harness = {
    events: [] as GitHubProgressEvents[],
    options: (): ReportOptions => ({ minRetryDelayMs: 1, onProgress: (e) => harness.events.push(e) }),
  } as ReportHarness
  before(async () => {
    harness.api = await startGitHubApi({ token: TOKEN, repository: REPOSITORY, pulls: { 7: { headSha: HEAD_SHA } } })
  })
  after(async () => {
    await harness.api.close()
    await harness.actions?.cleanup()
  })
  beforeEach(async () => {
    const { api } = harness
    api.requests.length = 0
    api.statuses.length = 0
    api.comments.length = 0
    api.failNext.length = 0
    await harness.actions?.cleanup()
    harness.actions = await createActionsEnv({ apiUrl: api.url, token: TOKEN, repository: REPOSITORY, eventName: 'pull_request', event: pullRequestEvent(7, HEAD_SHA), sha: MERGE_SHA })
  })
  return harness
}
