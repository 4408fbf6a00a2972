/**
 * The JSON bodies of the fake GitHub API (`github-api.ts`), typed with the schemas of
 * @octokit/openapi-types, which are generated from GitHub's published OpenAPI description
 * (github/rest-api-description): a field the real API returns cannot be left out by
 * mistake, nor one it does not have be invented.
 */
import type { components } from '@octokit/openapi-types'

type Schemas = components['schemas']
export type BasicError = Schemas['basic-error']

const DOCS = 'https://docs.github.com/rest'

export interface StoredStatus {
  id: number
  sha: string
  state: string
  description: string | null
  targetUrl: string | null
  context: string
}

export interface StoredComment {
  id: number
  issue: number
  body: string
  user: { login: string; type: 'User' | 'Bot' }
  /** How many times it was edited (PATCHed) since it was created. */
  updates: number
}

/** The subset of a pull request's fields a client of ours reads; the full object has about a hundred. */
export type PullRequestJson = Pick<Schemas['pull-request'], 'url' | 'number' | 'state' | 'html_url'> & {
  head: Pick<Schemas['pull-request']['head'], 'sha' | 'ref' | 'label'>
}

/** A fixed clock: the bodies are the same on every run. */
const CREATED_AT = '2026-11-21T10:00:00Z'
const UPDATED_AT = '2026-11-21T10:05:00Z'
const WEB = 'https://github.com'

export function userJson(login: string, type: 'User' | 'Bot'): Schemas['simple-user'] {
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`
  return {
    login,
    id: login.length * 1000 + 1,
    node_id: `U_${Buffer.from(login).toString('base64url')}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${login.length * 1000 + 1}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${WEB}/${type === 'Bot' ? 'apps/github-actions' : login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
    user_view_type: 'public',
  }
}

export function statusJson(base: string, repository: string, s: StoredStatus): Schemas['status'] {
  return {
    url: `${base}/repos/${repository}/statuses/${s.sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    id: s.id,
    node_id: `SC_${s.id}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    creator: userJson('github-actions[bot]', 'Bot'),
  }
}

export function commentJson(base: string, repository: string, c: StoredComment): Schemas['issue-comment'] {
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/repos/${repository}/issues/comments/${c.id}`,
    html_url: `${WEB}/${repository}/pull/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(c.user.login, c.user.type),
    created_at: CREATED_AT,
    updated_at: c.updates === 0 ? CREATED_AT : UPDATED_AT,
    issue_url: `${base}/repos/${repository}/issues/${c.issue}`,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
  }
}

export function pullJson(base: string, repository: string, n: number, headSha: string, headRef = `branch-${n}`): PullRequestJson {
  const owner = repository.split('/')[0] ?? ''
  return {
    url: `${base}/repos/${repository}/pulls/${n}`,
    number: n,
    state: 'open',
    html_url: `${WEB}/${repository}/pull/${n}`,
    head: { sha: headSha, ref: headRef, label: `${owner}:${headRef}` },
  }
}

/** An error body as GitHub sends one: `{ message, documentation_url, status }`. */
export function error(status: number, message: string, documentation_url = DOCS): BasicError {
  return { message, documentation_url, status: String(status) }
}

/** A 422 body: `Validation Failed` with what was wrong with which field. */
export function invalid(resource: string, field: string, message: string, documentation_url: string): Schemas['validation-error'] {
  return { message: 'Validation Failed', errors: [{ resource, code: 'custom', field, message }], documentation_url }
}

/** RFC 8288 links to the other pages, as GitHub sends them: next and last, then first and prev. */
export function linkHeader(base: string, perPage: number, page: number, pages: number): string | undefined {
  const at = (p: number): string => `${base}?per_page=${perPage}&page=${p}`
  const links: string[] = []
  if (page < pages) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(pages)}>; rel="last"`)
  if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`)
  return links.length === 0 ? undefined : links.join(', ')
}
