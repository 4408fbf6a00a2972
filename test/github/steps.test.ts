import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CarReader } from '@ipld/car/reader'
import { type ActionsEnv, createActionsEnv, pullRequestEvent, workflowRunEvent } from './actions-env.ts'
import { HEAD_SHA, MERGE_SHA, REPOSITORY, TOKEN } from './fixtures.ts'
import { runStep, workflowStep, workspace } from './workflow-steps.ts'

/** The steps use jq, which every GitHub-hosted runner has; here it is the Debian package `jq`. */
function hasJq(): boolean {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('the pull request steps, run exactly as written', () => {
  const missing = hasJq() ? false : 'jq is not installed (Debian package jq): the workflow steps are NOT run'
  if (missing !== false) {
    if (process.env.CI === 'true') it('has jq under CI', () => assert.fail(missing))
    else console.warn(`\n*** ${missing} ***\n`)
  }
  let cwd: string
  let runnerTemp: string
  let build: ActionsEnv
  let preview: ActionsEnv

  before(async () => {
    cwd = await workspace()
    runnerTemp = join(cwd, '_temp')
    await mkdir(runnerTemp)
    build = await createActionsEnv({ apiUrl: 'http://127.0.0.1:9', token: '', repository: REPOSITORY, eventName: 'pull_request', event: pullRequestEvent(7, HEAD_SHA), sha: MERGE_SHA })
    preview = await createActionsEnv({ apiUrl: 'http://127.0.0.1:9', token: TOKEN, repository: REPOSITORY, eventName: 'workflow_run', event: workflowRunEvent(HEAD_SHA, []), sha: MERGE_SHA })
  })
  after(async () => {
    await Promise.all([rm(cwd, { recursive: true, force: true }), build.cleanup(), preview.cleanup()])
  })

  it('packs the site into the CAR and metadata the preview job downloads', { skip: missing }, async () => {
    const step = await workflowStep('deploy.yml', 'preview-build', 'Pack the site into a CAR')
    const values = { 'runner.temp': runnerTemp, 'github.event.pull_request.number': '7', 'github.event.pull_request.head.sha': HEAD_SHA }
    const run = await runStep(step, { cwd, env: { ...build.env, RUNNER_TEMP: runnerTemp }, values })
    assert.equal(run.code, 0, run.stderr)

    const out = join(runnerTemp, 'preview')
    const packed = JSON.parse(await readFile(join(out, 'pack.json'), 'utf8')) as { cid: string; car: string }
    assert.deepEqual(JSON.parse(await readFile(join(out, 'preview.json'), 'utf8')), { pullRequest: 7, headSha: HEAD_SHA })
    const car = await CarReader.fromBytes(await readFile(join(out, 'site.car')))
    assert.deepEqual((await car.getRoots()).map(String), [packed.cid])
  })

  it('reads a valid PR number from the artifact into the step output', { skip: missing }, async () => {
    const step = await workflowStep('preview.yml', 'preview', 'pr')
    const run = await runStep(step, { cwd, env: { ...preview.env, RUNNER_TEMP: runnerTemp }, values: { 'runner.temp': runnerTemp } })
    assert.equal(run.code, 0, run.stderr)
    assert.equal((await preview.outputs()).number, '7')
  })

  it('refuses a PR number a fork wrote to run something', { skip: missing }, async () => {
    const dir = join(runnerTemp, 'evil')
    await mkdir(join(dir, 'preview'), { recursive: true })
    await writeFile(join(dir, 'preview', 'preview.json'), JSON.stringify({ pullRequest: '7 --config /tmp/x.ts', headSha: HEAD_SHA }))
    const step = await workflowStep('preview.yml', 'preview', 'pr')
    const run = await runStep(step, { cwd, env: { ...preview.env, RUNNER_TEMP: dir }, values: { 'runner.temp': dir } })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::preview\.json has no valid pull request number/)
  })
})
