/**
 * The deploy summary as GitHub-flavoured Markdown: the job's step summary and the body of
 * the PR comment are the same text, so a reader sees one format in both places. Values
 * that come from outside (error messages, names, a fork's file counts) are escaped so they
 * cannot break the table or inject HTML.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary
 */
import { formatBytes } from '../cli/output.ts'
import { GITHUB_PREVIEW_COMMENT_MARKER } from '../constants.ts'
import type { DeployNameSummary, DeploySummary, DeployTargetSummary, GitHubContext } from './types.ts'

const SHORT_SHA_LENGTH = 7
const MS_PER_SECOND = 1000

/** Text for a table cell: one line, pipes escaped, HTML inert. */
export function cell(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
}

/** A code span that survives backticks in the value (a fence longer than any run inside) and table pipes. */
export function code(text: string): string {
  const line = text.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|')
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${line}${pad}${fence}`
}

/** An http(s) URL as a link; anything else as code, so a malformed value cannot become markup. */
export function link(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return `<${parsed.href}>`
  } catch {
    // falls through to code
  }
  return code(url)
}

function seconds(ms: number): string {
  return `${(ms / MS_PER_SECOND).toFixed(1)} s`
}

function title(summary: DeploySummary): string {
  const what = summary.kind === 'preview' ? `preview ${code(summary.preview ?? 'preview')}` : 'production deploy'
  return summary.ok ? `✅ ipfs-publish: ${what}` : `❌ ipfs-publish: ${what} failed`
}

function overview(summary: DeploySummary, context: GitHubContext | undefined): string[] {
  const rows: Array<[string, string]> = [
    ['CID', code(summary.cid)],
    ['Files', `${summary.files} (${formatBytes(summary.bytes)})`],
    ['Blocks sent', `${formatBytes(summary.newBytes)} new, ${formatBytes(summary.reusedBytes)} reused from the previous deploy`],
  ]
  if (summary.urls.preview !== undefined) rows.push(['Preview', link(summary.urls.preview)])
  if (summary.urls.site !== undefined) rows.push(['Site', link(summary.urls.site)])
  if (context?.sha !== undefined) rows.push(['Commit', code(context.sha.slice(0, SHORT_SHA_LENGTH))])
  if (context?.runUrl !== undefined) rows.push(['Run', link(context.runUrl)])
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)]
}

function targetRow(t: DeployTargetSummary): string {
  const icon = t.status === 'pinned' ? '✅' : t.status === 'failed' ? '❌' : '⏭️'
  const status = t.error === undefined ? `${icon} ${t.status}` : `${icon} ${t.status}: ${cell(t.error)}`
  return `| ${cell(t.name)} | ${status} | ${seconds(t.timeMs)} | ${t.requestid === undefined ? '' : code(t.requestid)} |`
}

function nameRow(n: DeployNameSummary): string {
  const icon = n.status === 'updated' ? '✅' : n.status === 'unchanged' ? '➖' : n.status === 'failed' ? '❌' : '⏭️'
  const status = n.error === undefined ? `${icon} ${n.status}` : `${icon} ${n.status}: ${cell(n.error)}`
  const previous = n.previous === undefined ? '(none)' : code(n.previous)
  return `| ${n.kind} | ${code(n.name)} | ${previous} → ${code(n.value)} | ${status} |`
}

/** The step summary: what was deployed, how each target and name fared, where to read it. */
export function summaryMarkdown(summary: DeploySummary, context?: GitHubContext): string {
  const lines = [`### ${title(summary)}`, '', ...overview(summary, context), '']
  if (!summary.ok && summary.error !== undefined) lines.push(`**What failed:** ${cell(summary.error)}`, '')
  if (summary.targets.length > 0) {
    lines.push('#### Pin targets', '', '| Target | Status | Time | Request id |', '|---|---|---|---|', ...summary.targets.map(targetRow), '')
  }
  if (summary.names.length > 0) {
    lines.push('#### Names', '', '| Kind | Name | Old → new | Status |', '|---|---|---|---|', ...summary.names.map(nameRow), '')
  }
  if (summary.urls.gateway.length > 0) {
    lines.push('#### Gateway URLs', '', ...summary.urls.gateway.map((url) => `- ${link(url)}`), '')
  }
  return `${lines.join('\n')}\n`
}

/** The PR comment: the hidden marker first (how the next push finds it), then the summary. */
export function commentMarkdown(summary: DeploySummary, context?: GitHubContext): string {
  return `${GITHUB_PREVIEW_COMMENT_MARKER}\n${summaryMarkdown(summary, context)}`
}
