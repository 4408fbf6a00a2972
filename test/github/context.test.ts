import assert from 'node:assert/strict'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { detectGitHubActions } from '../../src/github/index.ts'
import { type ActionsEnv, createActionsEnv, pullRequestEvent, workflowRunEvent } from './actions-env.ts'
import { HEAD_SHA, MERGE_SHA, NEXT_HEAD_SHA, REPOSITORY, TOKEN } from './fixtures.ts'

describe('detectGitHubActions', () => {
  let actions: ActionsEnv | undefined
  afterEach(() => actions?.cleanup())
  const start = async (eventName: string, event: unknown): Promise<ActionsEnv> => {
    actions = await createActionsEnv({ apiUrl: 'https://ghe.example/api/v3/', token: TOKEN, repository: REPOSITORY, eventName, event, sha: MERGE_SHA })
    return actions
  }

  it('returns undefined outside GitHub Actions', async () => {
    assert.equal(await detectGitHubActions({ CI: 'true', GITHUB_TOKEN: TOKEN }), undefined)
  })

  it('takes a pull_request run’s PR and head commit from the payload, not the merge commit', async () => {
    const { env } = await start('pull_request', pullRequestEvent(7, HEAD_SHA))
    const context = await detectGitHubActions(env)
    assert.deepEqual(context, {
      owner: 'octo',
      repo: 'blog',
      sha: HEAD_SHA,
      eventName: 'pull_request',
      pullRequest: 7,
      pullRequestTrusted: true,
      apiUrl: 'https://ghe.example/api/v3',
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/octo/blog/actions/runs/4242',
      token: TOKEN,
      stepSummaryFile: env.GITHUB_STEP_SUMMARY,
      outputFile: env.GITHUB_OUTPUT,
      warnings: [],
    })
  })

  it('takes a workflow_run’s head commit and the PR GitHub lists for it', async () => {
    const { env } = await start('workflow_run', workflowRunEvent(HEAD_SHA, [{ number: 3, headSha: NEXT_HEAD_SHA }, { number: 7, headSha: HEAD_SHA }]))
    const context = await detectGitHubActions(env)
    assert.equal(context?.sha, HEAD_SHA)
    assert.equal(context?.pullRequest, 7)
    assert.equal(context?.pullRequestTrusted, true)
  })

  it('uses the caller’s PR number for a fork’s workflow_run, marked untrusted', async () => {
    const { env } = await start('workflow_run', workflowRunEvent(HEAD_SHA, []))
    const context = await detectGitHubActions(env, { pullRequest: 12 })
    assert.equal(context?.sha, HEAD_SHA)
    assert.equal(context?.pullRequest, 12)
    assert.equal(context?.pullRequestTrusted, false)
  })

  it('prefers the payload’s PR over a different one given by the caller, with a warning', async () => {
    const { env } = await start('pull_request', pullRequestEvent(7, HEAD_SHA))
    const context = await detectGitHubActions(env, { pullRequest: 8 })
    assert.equal(context?.pullRequest, 7)
    assert.equal(context?.pullRequestTrusted, true)
    assert.match(context?.warnings[0] ?? '', /the event is for pull request #7, not #8/)
  })

  it('uses GITHUB_SHA on a push and reads the token from the variable it is told', async () => {
    const { env } = await start('push', { ref: 'refs/heads/main', after: MERGE_SHA })
    const context = await detectGitHubActions({ ...env, GITHUB_TOKEN: '', DEPLOY_TOKEN: 'other' }, { tokenEnv: 'DEPLOY_TOKEN' })
    assert.equal(context?.sha, MERGE_SHA)
    assert.equal(context?.pullRequest, undefined)
    assert.equal(context?.token, 'other')
  })

  it('turns an unreadable event file and a malformed repository into warnings', async () => {
    const { env, dir } = await start('pull_request', {})
    const context = await detectGitHubActions({ ...env, GITHUB_EVENT_PATH: join(dir, 'missing.json'), GITHUB_REPOSITORY: 'no-slash' })
    assert.equal(context?.owner, undefined)
    assert.equal(context?.sha, MERGE_SHA, 'falls back to GITHUB_SHA')
    assert.equal(context?.warnings.length, 2)
    assert.match(context?.warnings[0] ?? '', /could not read the event payload .*missing\.json/)
    assert.match(context?.warnings[1] ?? '', /GITHUB_REPOSITORY is 'no-slash', not owner\/repo/)
  })

  it('refuses a PR number that is not a positive integer', async () => {
    const { env } = await start('workflow_run', workflowRunEvent(HEAD_SHA, []))
    const context = await detectGitHubActions(env, { pullRequest: -1 })
    assert.equal(context?.pullRequest, undefined)
    assert.match(context?.warnings[0] ?? '', /positive integer/)
  })
})
