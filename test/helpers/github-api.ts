/**
 * A local stand-in for the part of GitHub's REST API a deploy report uses, on 127.0.0.1,
 * port 0, answering with the shapes GitHub documents (typed by @octokit/openapi-types,
 * generated from GitHub's own OpenAPI description):
 * - POST  /repos/{owner}/{repo}/statuses/{sha}           https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
 * - GET   /repos/{owner}/{repo}/issues/{n}/comments       https://docs.github.com/en/rest/issues/comments#list-issue-comments
 *         paginated by `per_page` (default 30, max 100) and `page`, with a `Link` header
 *         https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 * - POST  /repos/{owner}/{repo}/issues/{n}/comments       https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
 * - PATCH /repos/{owner}/{repo}/issues/comments/{id}      https://docs.github.com/en/rest/issues/comments#update-an-issue-comment
 * - GET   /repos/{owner}/{repo}/pulls/{n}                 https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
 * Errors carry `{ message, documentation_url, status }` (422 adds `errors`):
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 * Every request is recorded; `failNext` makes the next matching requests fail. Reusable by
 * any test that runs a deploy in a simulated Actions environment: start, point
 * `GITHUB_API_URL` at `url`, read `requests` / `statuses` / `comments`, close.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type BasicError, commentJson, error, invalid, linkHeader, pullJson, type StoredComment, type StoredStatus, statusJson } from './github-api-shapes.ts'

const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100
/** The login GitHub gives comments and statuses made with a workflow's `GITHUB_TOKEN`. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

export interface RecordedRequest {
  method: string
  /** Path without the query. */
  path: string
  query: Record<string, string>
  /** The parsed JSON body, when there was one. */
  body: unknown
  /** The Authorization header as sent (tests assert the token went only here). */
  authorization: string | undefined
  status: number
}

export interface Fault {
  /** Only requests with this method, and whose path contains `path`, fail; default every request. */
  method?: string
  path?: string
  status: number
  /** A `{ message, documentation_url }` body; GitHub's generic one for the status when absent. */
  body?: BasicError
  headers?: Record<string, string>
}

export interface GitHubApiInit {
  /** The token requests must carry (`Authorization: token …` or `Bearer …`). */
  token: string
  /** The one repository that exists, `owner/repo`; every other answers 404 as GitHub does for a repo the token cannot see. */
  repository: string
  /** Pull requests that exist, by number, with their head commit. */
  pulls?: Record<number, { headSha: string; headRef?: string }>
}

export interface GitHubApi {
  /** Base URL, for `GITHUB_API_URL`. */
  url: string
  requests: RecordedRequest[]
  statuses: StoredStatus[]
  comments: StoredComment[]
  /** Consumed in order: each matching request takes the first matching fault. */
  failNext: Fault[]
  /** Adds a comment as someone else would have (a person, by default), e.g. one quoting our marker. */
  addComment(issue: number, body: string, user?: { login: string; type: 'User' | 'Bot' }): StoredComment
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...headers })
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text === '' ? undefined : JSON.parse(text)
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined
}

export async function startGitHubApi(init: GitHubApiInit): Promise<GitHubApi> {
  const requests: RecordedRequest[] = []
  const statuses: StoredStatus[] = []
  const comments: StoredComment[] = []
  const failNext: Fault[] = []
  const pulls = init.pulls ?? {}
  let nextId = 1
  let base = ''

  const route = async (req: IncomingMessage, body: unknown, path: string, query: URLSearchParams): Promise<[number, unknown, Record<string, string>?]> => {
    const auth = req.headers.authorization ?? ''
    if (auth !== `token ${init.token}` && auth !== `Bearer ${init.token}`) return [401, error(401, auth === '' ? 'Requires authentication' : 'Bad credentials')]
    const m = req.method ?? 'GET'
    const repoPath = /^\/repos\/([^/]+\/[^/]+)(\/.*)$/.exec(path)
    if (repoPath === null || repoPath[1] !== init.repository) return [404, error(404, 'Not Found')]
    const rest = repoPath[2] ?? ''
    let match = /^\/statuses\/([^/]+)$/.exec(rest)
    if (match !== null && m === 'POST') {
      const docs = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status'
      const sha = match[1] ?? ''
      const state = field(body, 'state')
      const description = field(body, 'description')
      if (!/^[0-9a-f]{40}$/.test(sha)) return [422, invalid('Status', 'sha', `No commit found for SHA: ${sha}`, docs)]
      if (typeof state !== 'string' || !['error', 'failure', 'pending', 'success'].includes(state)) return [422, invalid('Status', 'state', 'state is not included in the list', docs)]
      if (typeof description === 'string' && description.length > 140) return [422, invalid('Status', 'description', 'description is too long (maximum is 140 characters)', docs)]
      const targetUrl = field(body, 'target_url')
      const context = field(body, 'context')
      const stored: StoredStatus = {
        id: nextId++,
        sha,
        state,
        description: typeof description === 'string' ? description : null,
        targetUrl: typeof targetUrl === 'string' ? targetUrl : null,
        context: typeof context === 'string' ? context : 'default',
      }
      statuses.push(stored)
      return [201, statusJson(base, init.repository, stored)]
    }
    match = /^\/issues\/(\d+)\/comments$/.exec(rest)
    if (match !== null) {
      const issue = Number(match[1])
      if (pulls[issue] === undefined) return [404, error(404, 'Not Found', 'https://docs.github.com/rest/issues/comments')]
      if (m === 'GET') {
        const perPage = Math.min(MAX_PER_PAGE, Number(query.get('per_page') ?? DEFAULT_PER_PAGE))
        const page = Math.max(1, Number(query.get('page') ?? 1))
        const all = comments.filter((c) => c.issue === issue)
        const pages = Math.max(1, Math.ceil(all.length / perPage))
        const link = linkHeader(`${base}${path}`, perPage, page, pages)
        const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(base, init.repository, c))
        return [200, slice, link === undefined ? {} : { link }]
      }
      if (m === 'POST') {
        const text = field(body, 'body')
        if (typeof text !== 'string') return [422, invalid('IssueComment', 'body', 'body is missing', 'https://docs.github.com/rest/issues/comments#create-an-issue-comment')]
        const stored: StoredComment = { id: nextId++, issue, body: text, user: { login: ACTIONS_BOT_LOGIN, type: 'Bot' }, updates: 0 }
        comments.push(stored)
        return [201, commentJson(base, init.repository, stored)]
      }
    }
    match = /^\/issues\/comments\/(\d+)$/.exec(rest)
    if (match !== null && m === 'PATCH') {
      const id = Number(match[1])
      const stored = comments.find((c) => c.id === id)
      if (stored === undefined) return [404, error(404, 'Not Found', 'https://docs.github.com/rest/issues/comments#update-an-issue-comment')]
      const text = field(body, 'body')
      if (typeof text !== 'string') return [422, invalid('IssueComment', 'body', 'body is missing', 'https://docs.github.com/rest/issues/comments#update-an-issue-comment')]
      stored.body = text
      stored.updates++
      return [200, commentJson(base, init.repository, stored)]
    }
    match = /^\/pulls\/(\d+)$/.exec(rest)
    if (match !== null && m === 'GET') {
      const n = Number(match[1])
      const pull = pulls[n]
      if (pull === undefined) return [404, error(404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request')]
      return [200, pullJson(base, init.repository, n, pull.headSha, pull.headRef)]
    }
    return [404, error(404, 'Not Found')]
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const record = (status: number, body: unknown): void => {
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, authorization: req.headers.authorization, status })
    }
    readJson(req).then(
      async (body) => {
        const i = failNext.findIndex((f) => (f.method === undefined || f.method === req.method) && (f.path === undefined || url.pathname.includes(f.path)))
        const fault = i === -1 ? undefined : failNext.splice(i, 1)[0]
        if (fault !== undefined) {
          record(fault.status, body)
          return send(res, fault.status, fault.body ?? error(fault.status, fault.status >= 500 ? 'Server Error' : 'Forbidden'), fault.headers)
        }
        const [status, json, headers] = await route(req, body, url.pathname, url.searchParams)
        record(status, body)
        send(res, status, json, headers)
      },
      () => {
        record(400, undefined)
        send(res, 400, error(400, 'Problems parsing JSON'))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    requests,
    statuses,
    comments,
    failNext,
    addComment(issue, body, user = { login: 'octocat', type: 'User' }) {
      const stored: StoredComment = { id: nextId++, issue, body, user, updates: 0 }
      comments.push(stored)
      return stored
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err === undefined ? resolve() : reject(err)))
      }),
  }
}
