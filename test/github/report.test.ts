import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { GitHubProgressEvents } from '../../src/events.ts'
import { detectGitHubActions, reportDeploy } from '../../src/github/index.ts'
import { HEAD_SHA, NEXT_CID, NEXT_HEAD_SHA, previewSummary, productionSummary, REPOSITORY, TOKEN } from './fixtures.ts'
import { useReportHarness } from './report-harness.ts'

const MARKER = '<!-- ipfs-publish:preview -->'

describe('reportDeploy', () => {
  const h = useReportHarness()
  after(() => {
    // Convention: each declared event is really emitted.
    const seen = new Set(h.events.map((e) => e.type))
    for (const type of ['github:summary', 'github:outputs', 'github:status', 'github:comment', 'github:warning'] as const) {
      assert.ok(seen.has(type satisfies GitHubProgressEvents['type']), `${type} was never emitted`)
    }
  })

  it('writes the summary and outputs, sets the status on the PR head, and creates one comment', async () => {
    const context = await detectGitHubActions(h.actions.env)
    assert.ok(context !== undefined)
    const result = await reportDeploy(previewSummary(), context, h.options())
    assert.deepEqual(result.warnings, [])

    const summary = await h.actions.summary()
    assert.match(summary, /^### ✅ ipfs-publish: preview `pr-7`/)
    assert.match(summary, /\| CID \| `bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354` \|/)
    assert.match(summary, /\| Files \| 42 \(3\.0 MiB\) \|/)
    assert.match(summary, /12\.0 KiB new, 3\.0 MiB reused/)
    assert.match(summary, /\| pin-server \| ✅ pinned \| 1\.2 s \| `req-1` \|/)
    // The error's pipe and angle brackets cannot break the table or become HTML.
    assert.match(summary, /\| backup \| ❌ failed: HTTP 401 \\\| bad &lt;token&gt;: check BACKUP_TOKEN \| 5\.0 s \| {2}\|/)
    assert.match(summary, /- <http:\/\/127\.0\.0\.1:8080\/ipfs\/bafy[a-z0-9]+\/>/)
    assert.match(summary, /\| Run \| <https:\/\/github\.com\/octo\/blog\/actions\/runs\/4242> \|/)

    const outputs = await h.actions.outputs()
    assert.equal(outputs.cid, previewSummary().cid)
    assert.equal(outputs.url, previewSummary().urls.preview)
    assert.equal(outputs['preview-url'], previewSummary().urls.preview)
    assert.equal(outputs['gateway-urls'], previewSummary().urls.gateway.join('\n'))
    assert.equal(outputs.ok, 'true')
    assert.deepEqual(result.outputs, outputs)

    assert.equal(h.api.statuses.length, 1)
    const status = h.api.requests.find((r) => r.method === 'POST' && r.path.includes('/statuses/'))
    assert.equal(status?.path, `/repos/${REPOSITORY}/statuses/${HEAD_SHA}`, 'the PR head, not the merge commit')
    assert.deepEqual(status?.body, {
      state: 'success',
      context: 'ipfs-publish/preview',
      description: `Preview pr-7 of ${previewSummary().cid}, pinned on 1 target`,
      target_url: previewSummary().urls.preview,
    })
    assert.equal(status?.authorization, `token ${TOKEN}`)

    assert.equal(h.api.comments.length, 1)
    assert.ok(h.api.comments[0]?.body.startsWith(`${MARKER}\n### ✅ ipfs-publish: preview`))
    assert.equal(result.comment?.action, 'created')
    assert.equal(result.comment?.id, h.api.comments[0]?.id)
  })

  it('updates the same comment on the next push instead of adding one', async () => {
    const first = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    const second = await reportDeploy(previewSummary({ cid: NEXT_CID }), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.equal(second.comment?.action, 'updated')
    assert.equal(second.comment?.id, first.comment?.id)
    assert.equal(h.api.comments.length, 1)
    assert.equal(h.api.comments[0]?.updates, 1)
    assert.match(h.api.comments[0]?.body ?? '', new RegExp(NEXT_CID))
    assert.deepEqual(
      h.api.requests.filter((r) => r.path.includes('/comments')).map((r) => `${r.method} ${r.path}`),
      [
        `GET /repos/${REPOSITORY}/issues/7/comments`,
        `POST /repos/${REPOSITORY}/issues/7/comments`,
        `GET /repos/${REPOSITORY}/issues/7/comments`,
        `PATCH /repos/${REPOSITORY}/issues/comments/${first.comment?.id}`,
      ],
    )
  })

  it('follows the Link header to find its comment on a later page', async () => {
    for (let i = 0; i < 150; i++) h.api.addComment(7, `review comment ${i}`)
    const first = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    const second = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.equal(second.comment?.id, first.comment?.id)
    assert.equal(h.api.comments.filter((c) => c.body.startsWith(MARKER)).length, 1)
    const pages = h.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments')).map((r) => r.query.page ?? '1')
    assert.deepEqual(pages, ['1', '2', '1', '2'])
  })

  it('leaves alone a person’s comment that quotes the marker', async () => {
    const quoted = h.api.addComment(7, `${MARKER}\nlooks like the bot's comment`)
    const result = await reportDeploy(previewSummary(), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.equal(result.comment?.action, 'created')
    assert.notEqual(result.comment?.id, quoted.id)
    assert.equal(quoted.body, `${MARKER}\nlooks like the bot's comment`)
    assert.equal(quoted.updates, 0)
  })

  it('reports a failed deploy as a failure status linking to the run, cut to 140 characters', async () => {
    const error = `the required target pin-server did not pin: ${'x'.repeat(200)}`
    const result = await reportDeploy(productionSummary({ ok: false, error }), (await detectGitHubActions(h.actions.env))!, h.options())
    assert.equal(result.status?.state, 'failure')
    assert.equal(result.status?.context, 'ipfs-publish/production')
    assert.equal(result.status?.targetUrl, 'https://github.com/octo/blog/actions/runs/4242')
    assert.equal([...(result.status?.description ?? '')].length, 140)
    assert.ok(result.status?.description.endsWith('…'))
    assert.match(await h.actions.summary(), /^### ❌ ipfs-publish: production deploy failed/)
    assert.equal((await h.actions.outputs()).ok, 'false')
  })

  it('checks a PR number that came from an artifact against the PR head before commenting', async () => {
    const fork = { ...h.actions.env, GITHUB_EVENT_NAME: 'workflow_run' }
    const context = (await detectGitHubActions(fork, { pullRequest: 7 }))!
    // workflow_run without a usable payload: take the head commit from GITHUB_SHA for this test.
    const good = await reportDeploy(previewSummary(), { ...context, sha: HEAD_SHA }, h.options())
    assert.equal(good.comment?.action, 'created')
    const bad = await reportDeploy(previewSummary(), { ...context, sha: NEXT_HEAD_SHA }, h.options())
    assert.equal(bad.comment, undefined)
    assert.match(bad.warnings.find((w) => w.step === 'comment')?.message ?? '', /pull request #7 has head a{40}, not the deployed commit b{40}/)
    assert.equal(bad.status?.state, 'success', 'the status on the deployed commit is still set')
    assert.equal(h.api.comments.length, 1)
  })
})
