/**
 * The `_redirects` file (ipfs/specs `web-redirects-file`): parsed once per request that
 * misses, evaluated in order, first match wins.
 */

/** Status codes the spec allows; 301 when a rule gives none. */
const STATUSES = new Set([200, 301, 302, 303, 307, 308, 404, 410, 451])

type Part = { literal: string } | { placeholder: string }

export interface RedirectRule {
  line: number
  from: string
  to: string
  status: number
  parts: Part[]
  /** The `from` path ends in `*`: the rest of the path is `:splat`. */
  splat: boolean
}

/** The file exists but cannot be used; the spec wants a 500 that says why. */
export class RedirectsFileError extends Error {
  override name = 'RedirectsFileError'
}

export function parseRedirects(text: string): RedirectRule[] {
  const rules: RedirectRule[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    const content = raw.trim()
    if (content === '' || content.startsWith('#')) return
    const fields = content.split(/\s+/)
    const fail = (why: string) => new RedirectsFileError(`_redirects line ${line}: ${why}: '${content}'`)
    if (fields.length < 2) throw fail('a rule needs a from path and a to path')
    if (fields.length > 3) throw fail('expected "from to [status]"; conditions and other fields are not supported')
    const [from = '', to = '', statusText] = fields
    if (!from.startsWith('/')) throw fail('the from path must start with /')
    if (!to.startsWith('/') && !/^https?:\/\//i.test(to)) throw fail('the to path must start with / or be an http(s) URL')
    if (statusText !== undefined && !/^\d{3}$/.test(statusText)) throw fail(`'${statusText}' is not a status code`)
    const status = statusText === undefined ? 301 : Number(statusText)
    if (!STATUSES.has(status)) throw fail(`status ${status} is not one of ${[...STATUSES].join(', ')}`)
    if (status === 200 && !to.startsWith('/')) throw fail('a 200 rewrite must point at a path on this site, not a URL')
    const segments = from.split('/').filter(Boolean)
    const splat = segments.at(-1) === '*'
    if (splat) segments.pop()
    const seen = new Set<string>()
    const parts = segments.map((segment): Part => {
      if (!segment.startsWith(':')) return { literal: segment }
      const name = segment.slice(1)
      if (seen.has(name)) throw fail(`placeholder :${name} is used twice in the from path`)
      seen.add(name)
      return { placeholder: name }
    })
    rules.push({ line, from, to, status, parts, splat })
  })
  return rules
}

export interface RedirectMatch {
  rule: RedirectRule
  status: number
  /** The target with placeholders filled in and the request's query merged (the request's values win). */
  location: string
}

/** The first rule matching the decoded path segments of a request, if any. */
export function matchRedirect(rules: readonly RedirectRule[], segments: readonly string[], query: URLSearchParams): RedirectMatch | undefined {
  for (const rule of rules) {
    const values = matchRule(rule, segments)
    if (values === undefined) continue
    return { rule, status: rule.status, location: mergeQuery(fillPlaceholders(rule.to, values), query) }
  }
  return undefined
}

function matchRule(rule: RedirectRule, segments: readonly string[]): Map<string, string> | undefined {
  if (rule.splat ? segments.length < rule.parts.length : segments.length !== rule.parts.length) return undefined
  const values = new Map<string, string>()
  for (const [i, part] of rule.parts.entries()) {
    const segment = segments[i]!
    if ('literal' in part) {
      if (part.literal !== segment) return undefined
    } else {
      values.set(part.placeholder, encodeURIComponent(segment))
    }
  }
  if (rule.splat) values.set('splat', segments.slice(rule.parts.length).map(encodeURIComponent).join('/'))
  return values
}

function fillPlaceholders(to: string, values: Map<string, string>): string {
  return to.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => values.get(name) ?? whole)
}

function mergeQuery(target: string, query: URLSearchParams): string {
  if ([...query.keys()].length === 0) return target
  const hash = target.indexOf('#')
  const base = hash === -1 ? target : target.slice(0, hash)
  const fragment = hash === -1 ? '' : target.slice(hash)
  const q = base.indexOf('?')
  const params = new URLSearchParams(q === -1 ? '' : base.slice(q + 1))
  for (const key of new Set(query.keys())) {
    params.delete(key)
    for (const value of query.getAll(key)) params.append(key, value)
  }
  return `${q === -1 ? base : base.slice(0, q)}?${params}${fragment}`
}
