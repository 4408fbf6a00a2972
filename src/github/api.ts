/**
 * The three REST calls a deploy report makes, through Octokit. Octokit's `request.fetch`
 * is our `fetchWithRetry`, so every request gets the caller's `signal`, a time limit, and
 * retries on 5xx/429/network errors with backoff that honours `Retry-After`.
 * https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
 * https://docs.github.com/en/rest/issues/comments#list-issue-comments
 * https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
 * https://docs.github.com/en/rest/issues/comments#update-an-issue-comment
 * https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
 */
import { Octokit } from '@octokit/rest'
import { GITHUB_API_TIMEOUT_MS, GITHUB_COMMENTS_PER_PAGE, GITHUB_PREVIEW_COMMENT_MARKER } from '../constants.ts'
import { fetchWithRetry } from '../net/retry.ts'
import type { GitHubContext, ReportOptions } from './types.ts'

/** Where the API calls go: a context that has what they need. */
export interface Repo {
  owner: string
  repo: string
}

const USER_AGENT = 'ipfs-publish'

/** Octokit logs deprecations and request lines to the console by default; a library prints nothing. */
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

/**
 * GitHub answers a secondary rate limit with 403 (or 429) and `Retry-After`; a 403 without
 * it is a refusal that asking again will not change. Presenting the first kind as the 429
 * it means lets `fetchWithRetry` wait and retry it like any other.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export function rateLimitAware(fetchFn: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init)
    if (response.status !== 403 || !response.headers.has('retry-after')) return response
    return new Response(response.body, { status: 429, statusText: 'Too Many Requests', headers: response.headers })
  }
}

export function createClient(context: GitHubContext, token: string, options: ReportOptions): Octokit {
  const retrying: typeof fetch = (input, init) =>
    fetchWithRetry(String(input), init, {
      fetch: rateLimitAware(options.fetch ?? globalThis.fetch),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.minRetryDelayMs === undefined ? {} : { minDelayMs: options.minRetryDelayMs }),
      timeoutMs: options.timeoutMs ?? GITHUB_API_TIMEOUT_MS,
      onRetry: (info) => options.onProgress?.({ type: 'github:retry', detail: info }),
    })
  return new Octokit({
    auth: token,
    baseUrl: context.apiUrl,
    userAgent: USER_AGENT,
    log: SILENT,
    request: { fetch: retrying, ...(options.signal === undefined ? {} : { signal: options.signal }) },
  })
}

export interface StatusInit {
  sha: string
  state: 'success' | 'failure'
  context: string
  description: string
  targetUrl?: string
}

export async function createStatus(octokit: Octokit, repo: Repo, init: StatusInit): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    ...repo,
    sha: init.sha,
    state: init.state,
    context: init.context,
    description: init.description,
    ...(init.targetUrl === undefined ? {} : { target_url: init.targetUrl }),
  })
}

/** The head commit of a pull request, to check a PR number that did not come from GitHub's payload. */
export async function pullRequestHead(octokit: Octokit, repo: Repo, pullRequest: number): Promise<string> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullRequest })
  return data.head.sha
}

/**
 * Our earlier preview comment: its body starts with the marker and a bot wrote it (the
 * workflow token posts as `github-actions[bot]`, an app token as `<app>[bot]`). Requiring a
 * bot author means a person who pastes the marker into a comment of their own does not get
 * that comment overwritten. Pages are read only until it is found.
 */
export async function findPreviewComment(octokit: Octokit, repo: Repo, pullRequest: number): Promise<number | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: pullRequest, per_page: GITHUB_COMMENTS_PER_PAGE })
  for await (const page of pages) {
    const ours = page.data.find((c) => c.body?.startsWith(GITHUB_PREVIEW_COMMENT_MARKER) === true && c.user?.type === 'Bot')
    if (ours !== undefined) return ours.id
  }
  return undefined
}

/** Updates our comment when there is one, else creates it: one comment per PR, whatever the number of pushes. */
export async function upsertPreviewComment(
  octokit: Octokit,
  repo: Repo,
  pullRequest: number,
  body: string,
): Promise<{ id: number; url: string; action: 'created' | 'updated' }> {
  const existing = await findPreviewComment(octokit, repo, pullRequest)
  if (existing !== undefined) {
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing, body })
    return { id: data.id, url: data.html_url, action: 'updated' }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pullRequest, body })
  return { id: data.id, url: data.html_url, action: 'created' }
}
