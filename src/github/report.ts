/**
 * reportDeploy(): tells GitHub how a deploy went, in every place a reader looks: the job's
 * step summary, the step's outputs, a commit status linking to the preview or the site,
 * and for a pull request one comment, updated on each push. Each part stands alone; a
 * part that fails (the API is down, the token lacks a permission) becomes a warning in the
 * result and never fails the deploy, whose own result is already decided.
 */
import { GITHUB_STATUS_CONTEXT_PREFIX, GITHUB_STATUS_DESCRIPTION_MAX, GITHUB_TOKEN_ENV } from '../constants.ts'
import { AbortError, GitHubReportError } from '../errors.ts'
import { describeError } from '../net/retry.ts'
import { createClient, createStatus, pullRequestHead, type Repo, upsertPreviewComment } from './api.ts'
import { appendOutputs, appendStepSummary, deployOutputs } from './files.ts'
import { commentMarkdown, summaryMarkdown } from './markdown.ts'
import type { DeploySummary, GitHubContext, ReportOptions, ReportResult, ReportStep } from './types.ts'

const ELLIPSIS = '…'

/** Cut to GitHub's limit, on a character boundary, with an ellipsis that shows it was cut. */
export function statusDescription(summary: DeploySummary): string {
  const pinned = summary.targets.filter((t) => t.status === 'pinned').length
  const moved = summary.names.filter((n) => n.status === 'updated').length
  const text = !summary.ok
    ? `Deploy failed: ${summary.error ?? 'see the run'}`
    : summary.kind === 'preview'
      ? `Preview ${summary.preview ?? ''} of ${summary.cid}, pinned on ${pinned} target${pinned === 1 ? '' : 's'}`
      : `Deployed ${summary.cid}: ${pinned} pinned, ${moved} name${moved === 1 ? '' : 's'} moved`
  const chars = [...text.replace(/\s+/g, ' ')]
  return chars.length <= GITHUB_STATUS_DESCRIPTION_MAX ? chars.join('') : chars.slice(0, GITHUB_STATUS_DESCRIPTION_MAX - 1).join('') + ELLIPSIS
}

/** Where the status links to: the deploy when it worked, the run's log when it did not. */
function statusTarget(summary: DeploySummary, context: GitHubContext): string | undefined {
  if (!summary.ok) return context.runUrl
  return (summary.kind === 'preview' ? summary.urls.preview : summary.urls.site) ?? summary.urls.gateway[0] ?? context.runUrl
}

/** An error in words, with the token blanked out should any layer have echoed it. */
function scrub(err: unknown, token: string | undefined): string {
  // Octokit gives network errors status 500 too; only a RequestError with a response was answered.
  const answered = typeof err === 'object' && err !== null && 'response' in err && err.response !== undefined
  const status = answered && 'status' in err && typeof err.status === 'number' ? err.status : undefined
  const text = status === undefined || describeError(err).includes(String(status)) ? describeError(err) : `HTTP ${status}: ${describeError(err)}`
  return token === undefined || token === '' ? text : text.split(token).join('***')
}

/**
 * Reports `summary` to the run described by `context` (see `detectGitHubActions`). Throws
 * only `AbortError` when `options.signal` fires; everything else ends up in `warnings`.
 */
export async function reportDeploy(summary: DeploySummary, context: GitHubContext, options: ReportOptions = {}): Promise<ReportResult> {
  const result: ReportResult = { outputs: {}, warnings: [] }
  const token = context.token
  const warn = (step: ReportStep, message: string): void => {
    result.warnings.push({ step, message })
    options.onProgress?.({ type: 'github:warning', detail: { step, message } })
  }
  /** Runs one part; its failure is a warning unless the whole report was cancelled. */
  const attempt = async (step: ReportStep, what: string, part: () => Promise<void>): Promise<void> => {
    try {
      await part()
    } catch (err) {
      if (options.signal?.aborted === true) throw err instanceof AbortError ? err : new AbortError('reporting to GitHub was cancelled', { cause: err })
      warn(step, `could not ${what}: ${scrub(err, token)}`)
    }
  }
  for (const message of context.warnings) warn('context', message)

  const summaryFile = context.stepSummaryFile
  if (summaryFile !== undefined) {
    await attempt('summary', `append the step summary to ${summaryFile}`, async () => {
      const markdown = summaryMarkdown(summary, context)
      await appendStepSummary(summaryFile, markdown)
      result.summaryFile = summaryFile
      options.onProgress?.({ type: 'github:summary', detail: { file: summaryFile, bytes: Buffer.byteLength(markdown) } })
    })
  }
  const outputFile = context.outputFile
  if (outputFile !== undefined) {
    await attempt('outputs', `write the step outputs to ${outputFile}`, async () => {
      const outputs = deployOutputs(summary)
      await appendOutputs(outputFile, outputs)
      result.outputs = outputs
      options.onProgress?.({ type: 'github:outputs', detail: { file: outputFile, names: Object.keys(outputs) } })
    })
  }

  const { owner, repo, sha, pullRequest } = context
  if (owner === undefined || repo === undefined) return result
  if (token === undefined) {
    warn('status', `no GitHub token (give the step env ${GITHUB_TOKEN_ENV}: \${{ github.token }}): no commit status or PR comment`)
    return result
  }
  const octokit = createClient(context, token, options)
  const where: Repo = { owner, repo }

  if (sha !== undefined) {
    const statusContext = `${GITHUB_STATUS_CONTEXT_PREFIX}/${summary.kind}`
    await attempt('status', `set the commit status ${statusContext} on ${sha}`, async () => {
      const targetUrl = statusTarget(summary, context)
      const init = { sha, state: summary.ok ? ('success' as const) : ('failure' as const), context: statusContext, description: statusDescription(summary) }
      await createStatus(octokit, where, targetUrl === undefined ? init : { ...init, targetUrl })
      result.status = { context: init.context, state: init.state, description: init.description, ...(targetUrl === undefined ? {} : { targetUrl }) }
      options.onProgress?.({ type: 'github:status', detail: { sha, context: init.context, state: init.state } })
    })
  }

  if (pullRequest !== undefined) {
    await attempt('comment', `comment on pull request #${pullRequest}`, async () => {
      if (!context.pullRequestTrusted) {
        // The number came from a fork's build artifact: only believe it if that PR's head is the commit we deployed.
        const head = await pullRequestHead(octokit, where, pullRequest)
        if (head !== sha) throw new GitHubReportError(`pull request #${pullRequest} has head ${head}, not the deployed commit ${sha ?? '(unknown)'}`)
      }
      const comment = await upsertPreviewComment(octokit, where, pullRequest, commentMarkdown(summary, context))
      result.comment = comment
      options.onProgress?.({ type: 'github:comment', detail: { pullRequest, id: comment.id, action: comment.action } })
    })
  }
  return result
}
