import { GITHUB_TOKEN_ENV } from '../../constants.ts'
import { AbortError, UsageError } from '../../errors.ts'
import type { DeploySummary, GitHubContext } from '../../github/index.ts'
import type { Command } from '../command.ts'
import { EXIT_FAILURE, EXIT_OK } from '../exit.ts'
import type { Output } from '../output.ts'
import { NO_CACHE_OPTION } from './build-display.ts'
import { deployLines, deployProgress } from './deploy-display.ts'

function text(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function parsePullRequest(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--pull-request: expected a pull request number, got '${value}'`)
  return Number(value)
}

/** The environment's word on the commit and branch, else git's: CI checks out a detached HEAD. */
async function gitFacts(root: string, values: Record<string, unknown>, signal: AbortSignal): Promise<{ commit?: string; branch?: string }> {
  const env = process.env
  const { gitBranch, gitHead } = await import('../../git.ts')
  const commit = text(values.commit as string | undefined) ?? text(env.GITHUB_SHA) ?? (await gitHead(root, signal))
  const branch = text(values.branch as string | undefined) ?? text(env.GITHUB_HEAD_REF) ?? text(env.GITHUB_REF_NAME) ?? (await gitBranch(root, signal))
  return { ...(commit === undefined ? {} : { commit }), ...(branch === undefined ? {} : { branch }) }
}

/** What GitHub is told when the deploy threw before it had a result (a build error, a missing secret). */
function thrownSummary(err: unknown, preview: string | undefined): DeploySummary {
  const message = err instanceof Error ? err.message : String(err)
  return {
    cid: '',
    kind: preview === undefined ? 'production' : 'preview',
    ...(preview === undefined ? {} : { preview }),
    files: 0,
    bytes: 0,
    newBytes: 0,
    reusedBytes: 0,
    targets: [],
    names: [],
    urls: { gateway: [] },
    ok: false,
    error: message,
  }
}

async function report(summary: DeploySummary, context: GitHubContext, output: Output, signal: AbortSignal) {
  const { reportDeploy } = await import('../../github/index.ts')
  const reported = await reportDeploy(summary, context, { signal })
  for (const warning of reported.warnings) output.warn(`GitHub ${warning.step}: ${warning.message}`)
  return reported
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'build, pack, pin to every target, verify, then move the names (what CI runs)',
  options: {
    preview: { type: 'string', value: 'NAME', description: 'deploy as the preview NAME (pin <site>@NAME) and move no production name' },
    'dry-run': { type: 'boolean', description: 'build and pack, then show what would be pinned and which names would move; touch nothing' },
    car: { type: 'string', value: 'FILE', description: 'deploy this CAR (one root, e.g. a pull request build) instead of building' },
    branch: { type: 'string', value: 'NAME', description: 'the branch, stored with the pins (default: GITHUB_HEAD_REF, GITHUB_REF_NAME or git)' },
    commit: { type: 'string', value: 'SHA', description: 'the commit, stored with the pins (default: GITHUB_SHA or git)' },
    'pull-request': { type: 'string', value: 'N', description: "the pull request a preview belongs to, for a workflow_run of a fork's build" },
    'no-cache': NO_CACHE_OPTION,
  },
  details: `
Runs the whole pipeline against the config's targets and names. A name moves only to a
CID that every required target reports 'pinned' and that was fetched back whole through
the config's gateways (without any, the required targets' own 'gateway', else the local
node): any failure leaves every name as it was and exits 1. Run it again after a failure:
packed blocks and finished pins are reused. A redeploy measures what is new against the
live version's block list, and upload targets send only that. Secrets come from the
environment variables the config names. In GitHub Actions it also writes the step
summary and outputs (cid, url), sets a commit status and keeps one preview comment on
the pull request.`,
  async run({ values, config, output, signal }) {
    const preview = text(values.preview)
    const car = text(values.car)
    const dryRun = values['dry-run'] === true
    const pullRequest = parsePullRequest(text(values['pull-request']))
    const loaded = await config()
    const cfg = values['no-cache'] === true ? { ...loaded, build: { ...loaded.build, cache: false } } : loaded
    const facts = await gitFacts(cfg.root, values, signal)
    const { detectGitHubActions } = await import('../../github/index.ts')
    // A plan is not a deploy: GitHub hears only about real runs.
    const context = dryRun ? undefined : await detectGitHubActions(process.env, { tokenEnv: GITHUB_TOKEN_ENV, ...(pullRequest === undefined ? {} : { pullRequest }) })
    const { deploy, toDeploySummary } = await import('../../deploy/index.ts')
    const { createNamePublishers } = await import('../../name/from-config.ts')
    let result: Awaited<ReturnType<typeof deploy>>
    try {
      result = await deploy({
        config: cfg,
        env: process.env,
        publishers: (components) => createNamePublishers(cfg.names, { ...components, env: { ...components.env } }),
        ...(car === undefined ? {} : { car }),
        ...(preview === undefined ? {} : { preview }),
        dryRun,
        ...facts,
        signal,
        onProgress: deployProgress(output),
      })
    } catch (err) {
      if (context !== undefined && !(err instanceof AbortError) && !signal.aborted) await report(thrownSummary(err, preview), context, output, signal)
      throw err
    }
    const reported = context === undefined ? undefined : await report(toDeploySummary(result), context, output, signal)
    const github = reported === undefined ? {} : { github: { outputs: reported.outputs, status: reported.status, comment: reported.comment, warnings: reported.warnings } }
    output.result({ ...result, ...github }, deployLines(result))
    return result.ok ? EXIT_OK : EXIT_FAILURE
  },
}
