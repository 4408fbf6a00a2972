/** The rules that keep the live site pinned: what a new pin replaces, and what `prune` removes. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planPrune } from '../../src/pin/index.ts'
import { planPin } from '../../src/pin/pinning-service-replace.ts'
import type { PinStatus, RemotePin } from '../../src/pin/types.ts'
import { randomCid, request } from './fixtures.ts'

const DAY = 24 * 60 * 60 * 1000
const NOW = new Date('2026-11-21T12:00:00Z')

function remote(cid: string, status: PinStatus, daysAgo: number, meta: { kind: 'production' | 'preview'; preview?: string }, site = 'blog'): RemotePin {
  const name = meta.preview === undefined ? site : `${site}@${meta.preview}`
  return { requestid: `req-${cid}`, cid, name, status, meta: { site, ...meta }, created: new Date(NOW.getTime() - daysAgo * DAY) }
}

describe('planPin', () => {
  it('reuses a pin of the same CID and name unless it failed', async () => {
    const cid = await randomCid()
    const pinned = remote(cid.toString(), 'pinned', 1, { kind: 'production' })
    assert.deepEqual(planPin([pinned], request(cid, 'blog')), { action: 'existing', pin: pinned })
    const failed = remote(cid.toString(), 'failed', 1, { kind: 'production' })
    assert.deepEqual(planPin([failed], request(cid, 'blog')), { action: 'replace', pin: failed })
  })

  it('treats the CIDv0 and CIDv1 of one DAG as the same pin', async () => {
    const v0 = (await import('multiformats/cid')).CID.parse('QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn')
    const pin = remote(v0.toString(), 'pinned', 1, { kind: 'production' })
    assert.equal(planPin([pin], request(v0.toV1(), 'blog')).action, 'existing')
  })

  it('without the live CIDs, never replaces a pinned pin', async () => {
    const old = remote((await randomCid()).toString(), 'pinned', 2, { kind: 'production' })
    const older = remote((await randomCid()).toString(), 'pinned', 9, { kind: 'production' })
    assert.deepEqual(planPin([old, older], request(await randomCid(), 'blog')), { action: 'add' })
  })

  it('never replaces a live pin, and replaces the newest stale one', async () => {
    const live = remote((await randomCid()).toString(), 'pinned', 1, { kind: 'production' })
    const stale = remote((await randomCid()).toString(), 'pinned', 3, { kind: 'production' })
    const staler = remote((await randomCid()).toString(), 'pinned', 5, { kind: 'production' })
    const plan = planPin([staler, live, stale], request(await randomCid(), 'blog', { live: [live.cid] }))
    assert.deepEqual(plan, { action: 'replace', pin: stale })
    assert.deepEqual(planPin([live], request(await randomCid(), 'blog', { live: [live.cid] })), { action: 'add' })
  })

  it('replaces a failed attempt before a pinned old version', async () => {
    const live = remote((await randomCid()).toString(), 'pinned', 1, { kind: 'production' })
    const failed = remote((await randomCid()).toString(), 'failed', 5, { kind: 'production' })
    const previous = remote((await randomCid()).toString(), 'pinned', 2, { kind: 'production' })
    assert.deepEqual(planPin([live, previous, failed], request(await randomCid(), 'blog', { live: [live.cid] })), { action: 'replace', pin: failed })
  })

  it('keeps previews and other sites out of a production series', async () => {
    const preview = remote((await randomCid()).toString(), 'failed', 1, { kind: 'preview', preview: 'pr-1' })
    const other = remote((await randomCid()).toString(), 'failed', 1, { kind: 'production' }, 'other')
    const foreign: RemotePin = { ...remote((await randomCid()).toString(), 'failed', 1, { kind: 'production' }), meta: {} as RemotePin['meta'] }
    assert.deepEqual(planPin([preview, other, foreign], request(await randomCid(), 'blog', { live: [] })), { action: 'add' })
  })
})

describe('planPrune', () => {
  it('keeps the newest N production pins and removes older ones', () => {
    const pins = [1, 2, 3, 4, 5].map((d) => remote(`p${d}`, 'pinned', d, { kind: 'production' }))
    const plan = planPrune(pins, { keep: 2, now: () => NOW })
    assert.deepEqual(plan.keep.map((p) => p.cid), ['p1', 'p2'])
    assert.deepEqual(plan.remove.map((p) => p.cid), ['p3', 'p4', 'p5'])
  })

  it('never removes the current CID nor the newest pinned pin, whatever --keep says', () => {
    const pins = [
      remote('failed-new', 'failed', 1, { kind: 'production' }),
      remote('pinned-newest', 'pinned', 2, { kind: 'production' }),
      remote('live-old', 'pinned', 30, { kind: 'production' }),
      remote('old', 'pinned', 40, { kind: 'production' }),
    ]
    const plan = planPrune(pins, { keep: 0, current: ['live-old'], now: () => NOW })
    assert.deepEqual(plan.keep.map((p) => p.cid), ['failed-new', 'pinned-newest', 'live-old'])
    assert.deepEqual(plan.remove.map((p) => p.cid), ['old'])
  })

  it('removes previews older than the limit, and leaves pins that are not ours', () => {
    const foreign: RemotePin = { ...remote('foreign', 'pinned', 100, { kind: 'production' }), meta: { site: 'blog' } as RemotePin['meta'] }
    const pins = [
      remote('prod', 'pinned', 50, { kind: 'production' }),
      remote('young', 'pinned', 2, { kind: 'preview', preview: 'pr-2' }),
      remote('aged', 'pinned', 10, { kind: 'preview', preview: 'pr-1' }),
      foreign,
    ]
    const plan = planPrune(pins, { previewsOlderThanMs: 7 * DAY, now: () => NOW })
    assert.deepEqual(plan.remove.map((p) => p.cid), ['aged'])
    assert.deepEqual(plan.keep.map((p) => p.cid).sort(), ['foreign', 'prod', 'young'])
  })
})
