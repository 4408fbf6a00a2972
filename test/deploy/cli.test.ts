import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type ActionsEnv, createActionsEnv } from '../github/actions-env.ts'
import { runCli } from '../helpers/cli.ts'
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.ts'
import { type PinServerProcess, startPinServerProcess } from '../pin/pin-server-process.ts'
import { createProject, currentNames, type Project, TOKEN_ENV } from './fixture.ts'

const token = 'deploy-cli-token'
const githubToken = 'ghs_deploytesttoken'
const sha = 'b'.repeat(40)
let server: PinServerProcess
let project: Project
let api: GitHubApi

before(async () => {
  ;[server, api] = await Promise.all([startPinServerProcess({ token, fetchTimeout: '10s' }), startGitHubApi({ token: githubToken, repository: 'octo/blog' })])
  project = await createProject(server.url)
})
after(async () => {
  await Promise.all([server.stop(), api.close()])
  await project.cleanup()
})

async function actions(): Promise<ActionsEnv> {
  return createActionsEnv({ apiUrl: api.url, token: githubToken, repository: 'octo/blog', eventName: 'push', event: { ref: 'refs/heads/main', after: sha }, sha })
}

describe('ipfs-publish deploy (CLI in a simulated GitHub Actions job)', () => {
  it('deploys, prints pure JSON on stdout, and writes the step summary, the outputs and a success status', async () => {
    const gh = await actions()
    try {
      const run = await runCli(['deploy', '--config', project.configFile, '--json'], { cwd: project.dir, env: { ...gh.env, [TOKEN_ENV]: token }, timeoutMs: 120_000 })
      assert.equal(run.code, 0, run.stderr)
      const result = JSON.parse(run.stdout)
      assert.equal(result.ok, true)
      assert.equal(result.commit, sha)
      assert.deepEqual(result.targets.map((t: { status: string }) => t.status), ['pinned', 'pinned'])
      assert.equal(result.names[0].status, 'updated')
      assert.deepEqual(await currentNames(project.config), [`/ipfs/${result.cid}`])
      const outputs = await gh.outputs()
      assert.equal(outputs.cid, result.cid)
      assert.equal(outputs.ok, 'true')
      assert.match(await gh.summary(), new RegExp(result.cid))
      const status = api.statuses.find((s) => s.sha === sha)
      assert.equal(status?.state, 'success')
      assert.match(run.stderr, /verified through/)
    } finally {
      await gh.cleanup()
    }
  })

  it('exits 1, moves no name and reports the failure to GitHub when a required target refuses the pin', async () => {
    await project.changePost('This must not go live.')
    const before = await currentNames(project.config)
    const gh = await actions()
    try {
      const run = await runCli(['deploy', '--config', project.configFile], { cwd: project.dir, env: { ...gh.env, [TOKEN_ENV]: 'wrong-token' }, timeoutMs: 120_000 })
      assert.equal(run.code, 1, run.stderr)
      assert.match(run.stderr, /deploy FAILED at pin/)
      assert.match(run.stderr, /no name was moved/)
      assert.match(run.stderr, /NOT moved/)
      assert.equal(run.stdout, '')
      assert.deepEqual(await currentNames(project.config), before)
      assert.equal((await gh.outputs()).ok, 'false')
      const statuses = api.statuses.filter((s) => s.sha === sha)
      assert.equal(statuses.at(-1)?.state, 'failure')
      assert.doesNotMatch(run.stderr + (await gh.summary()), /wrong-token/)
    } finally {
      await gh.cleanup()
    }
  })

  it('--dry-run --json prints the plan with the CID and reports nothing', async () => {
    const before = await currentNames(project.config)
    const statuses = api.statuses.length
    const run = await runCli(['deploy', '--config', project.configFile, '--dry-run', '--json'], { cwd: project.dir, env: { [TOKEN_ENV]: token }, timeoutMs: 120_000 })
    assert.equal(run.code, 0, run.stderr)
    const plan = JSON.parse(run.stdout)
    assert.equal(plan.dryRun, true)
    assert.match(plan.cid, /^bafy/)
    assert.deepEqual(plan.names.map((n: { status: string; previous: string }) => [n.status, n.previous]), [['planned', before[0]]])
    assert.deepEqual(await currentNames(project.config), before)
    assert.equal(api.statuses.length, statuses)
  })
})
