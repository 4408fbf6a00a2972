import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { detectGitHubActions, reportDeploy } from '../../src/github/index.ts'
import { startGitHubApi } from '../helpers/github-api.ts'
import { previewSummary, REPOSITORY, TOKEN } from './fixtures.ts'
import { useReportHarness } from './report-harness.ts'

describe('reportDeploy when GitHub misbehaves', () => {
  const h = useReportHarness()
  after(() => assert.ok(h.events.some((e) => e.type === 'github:retry'), 'github:retry was never emitted'))

  it('retries a 500 and a 429 with Retry-After, then succeeds', async () => {
    h.api.failNext.push({ method: 'POST', path: '/statuses/', status: 500 }, { method: 'GET', path: '/comments', status: 429, headers: { 'retry-after': '0' } })
    const result = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.deepEqual(result.warnings, [])
    assert.equal(h.api.statuses.length, 1)
    assert.deepEqual(
      h.api.requests.filter((r) => r.path.includes('/statuses/') || r.method === 'GET').map((r) => r.status),
      [500, 201, 429, 200],
    )
    assert.ok(h.events.some((e) => e.type === 'github:retry' && e.detail.reason === 'HTTP 500 Internal Server Error'))
  })

  it('waits out a secondary rate limit (403 with Retry-After) and tries again', async () => {
    h.api.failNext.push({
      method: 'POST',
      path: '/statuses/',
      status: 403,
      headers: { 'retry-after': '0' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
    })
    const result = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.deepEqual(result.warnings, [])
    assert.equal(result.status?.state, 'success')
    assert.deepEqual(
      h.api.requests.filter((r) => r.path.includes('/statuses/')).map((r) => r.status),
      [403, 201],
    )
  })

  it('turns a 403 into a warning and still does the other parts', async () => {
    h.api.failNext.push({
      method: 'POST',
      path: '/statuses/',
      status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status', status: '403' },
    })
    const result = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.equal(result.warnings.length, 1)
    assert.equal(result.warnings[0]?.step, 'status')
    assert.match(result.warnings[0]?.message ?? '', /could not set the commit status ipfs-publish\/preview on a{40}: HTTP 403: Resource not accessible by integration/)
    assert.equal(result.status, undefined)
    assert.equal(result.comment?.action, 'created')
    assert.equal((await h.actions.outputs()).cid, previewSummary().cid)
  })

  it('never writes the token to the summary, the outputs, the result or a warning', async () => {
    // A server that echoes the credentials back: the warning must still not show them.
    h.api.failNext.push({ method: 'GET', status: 401, body: { message: `Bad credentials: token ${TOKEN}`, documentation_url: 'https://docs.github.com/rest' } })
    const result = await reportDeploy(previewSummary({ ok: false, error: 'pin-server refused' }), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.match(result.warnings[0]?.message ?? '', /Bad credentials: token \*\*\*/)
    for (const text of [await h.actions.summary(), await h.actions.rawOutputs(), JSON.stringify(result), ...h.api.comments.map((c) => c.body), ...h.api.statuses.map((s) => JSON.stringify(s))]) {
      assert.ok(!text.includes(TOKEN), 'the token leaked')
    }
    assert.ok(h.api.requests.every((r) => r.authorization === `token ${TOKEN}` && !JSON.stringify(r.body ?? '').includes(TOKEN)))
  })

  it('writes only the files, with a warning, when the step has no token', async () => {
    const { GITHUB_TOKEN: _, ...env } = h.actions.env
    const result = await reportDeploy(previewSummary(), (await detectGitHubActions(env))!, h.options())
    assert.equal(h.api.requests.length, 0)
    assert.equal((await h.actions.outputs()).cid, previewSummary().cid)
    assert.match(result.warnings[0]?.message ?? '', /no GitHub token/)
  })

  it('survives an API that cannot be reached', async () => {
    const closed = await startGitHubApi({ token: TOKEN, repository: REPOSITORY })
    await closed.close()
    const context = (await detectGitHubActions({ ...h.actions.env, GITHUB_API_URL: closed.url }))!
    const result = await reportDeploy(previewSummary(), context, { ...h.options(), retries: 0 })
    assert.deepEqual(
      result.warnings.map((w) => w.step),
      ['status', 'comment'],
    )
    assert.match(result.warnings[0]?.message ?? '', /ECONNREFUSED/)
    assert.doesNotMatch(result.warnings[0]?.message ?? '', /HTTP 500/)
  })

  it('stops with AbortError when its signal fires', async () => {
    const controller = new AbortController()
    controller.abort()
    const context = (await detectGitHubActions(h.actions.env))!
    await assert.rejects(reportDeploy(previewSummary(), context, { ...h.options(), signal: controller.signal }), { name: 'AbortError' })
  })
})
