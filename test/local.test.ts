import assert from 'node:assert/strict'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { normalizeConfig, type ResolvedConfig } from '../src/config/index.ts'
import { NotRetrievableError } from '../src/errors.ts'
import { type StartLocalProgressEvents, startLocal } from '../src/local.ts'
import { openKeystore } from '../src/name/index.ts'
import { blockstorePath, openBlockstore } from '../src/node/blockstore/index.ts'
import { openNode } from '../src/node/index.ts'

const REPO = fileURLToPath(new URL('../', import.meta.url))

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-local-'))
})
after(() => rm(dir, { recursive: true, force: true }))

/** The repository's blog with a store of its own. */
function projectConfig(name: string): Promise<ResolvedConfig> {
  return normalizeConfig({ root: REPO, site: join(REPO, 'site'), store: join(dir, name), build: { out: join(dir, `${name}-dist`) } }, undefined, dir)
}

describe('startLocal', () => {
  it('runs build, pack, pin, gateway, verify and name in that order, serves the URLs it returns, and stops cleanly', async () => {
    const config = await projectConfig('order')
    const events: StartLocalProgressEvents[] = []
    const site = await startLocal({ config, port: 0, onProgress: (e) => events.push(e) })
    try {
      const stages = events.flatMap((e) => (e.type === 'local:stage' ? [e.detail.stage] : []))
      assert.deepEqual(stages, ['build', 'pack', 'pin', 'gateway', 'verify', 'name'])
      const order = ['local:built', 'local:packed', 'node:pin:done', 'local:listening', 'verify:done', 'name:ipns:published', 'name:ipns:resolved']
      const seen = order.map((type) => events.findIndex((e) => e.type === type))
      assert.ok(seen.every((at, i) => at !== -1 && (i === 0 || at > (seen[i - 1] as number))), `events out of order: ${seen.join(', ')}`)
      const packed = events.find((e) => e.type === 'local:packed')
      assert.equal(packed?.detail.cid, site.cid.toString())

      assert.equal(site.pin.name, 'site')
      assert.ok(site.verify.ok)
      assert.equal(site.ipns.value, `/ipfs/${site.cid}`)
      assert.equal(site.urls.path, `${site.address.url}/ipfs/${site.cid}/`)
      assert.equal(site.urls.ipnsPath, `${site.address.url}/ipns/${site.ipns.name}/`)
      const viaName = await fetch(site.urls.ipnsPath)
      assert.equal(viaName.status, 200)
      assert.equal(await viaName.text(), await (await fetch(site.urls.path)).text())
    } finally {
      await site.stop()
      await site.stop()
    }
    const blocks = await openBlockstore({ path: blockstorePath(config.store) })
    assert.deepEqual(blocks.recovery, { fullScan: false, replayed: 0, truncated: [] })
    await blocks.close()
  })

  it('moves no name when the site does not come back whole through the gateway (the safety rule)', async () => {
    const config = await projectConfig('unverified')
    // A gateway that answers nothing: neither the CAR nor any raw block arrives.
    const refusing: typeof fetch = async () => new Response('no', { status: 404 })
    const events: StartLocalProgressEvents[] = []
    await assert.rejects(
      startLocal({ config, port: 0, fetch: refusing, onProgress: (e) => events.push(e) }),
      (err: unknown) => err instanceof NotRetrievableError && /so the IPNS name was not moved/.test(err.message),
    )
    assert.ok(!events.some((e) => e.type.startsWith('name:')), 'no name event')
    assert.deepEqual(await openKeystore(config.store).list(), [], 'no key was even created')
    // It stopped the gateway and the node on its way out: the store opens again at once.
    const node = await openNode(config.store, { offline: true })
    await node.stop()
  })

  it('replaces the site’s earlier local pin once the name has moved, and keeps it when a run fails', async () => {
    const config = await projectConfig('replace')
    const site = join(dir, 'replace-site')
    await cp(join(REPO, 'site'), site, { recursive: true })
    // The copy cannot import the project's defineSite from its new place: the same config as JSON.
    await rm(join(site, 'site.config.ts'))
    await writeFile(join(site, 'site.config.json'), JSON.stringify({ title: 'Copy', baseUrl: 'https://copy.example/' }))
    const siteConfig = { ...config, site }
    const first = await startLocal({ config: siteConfig, port: 0 })
    await first.stop()
    assert.deepEqual(first.replaced, [])

    await writeFile(join(site, 'posts', 'a-new-post.md'), '---\ntitle: A new post\ndate: 2026-11-20\n---\n\nNew.\n')
    const refusing: typeof fetch = async () => new Response('no', { status: 404 })
    await assert.rejects(startLocal({ config: siteConfig, port: 0, fetch: refusing }), NotRetrievableError)
    let node = await openNode(config.store, { offline: true })
    const afterFailure = (await node.listPins()).map((p) => p.cid.toString()).sort()
    await node.stop()
    assert.ok(afterFailure.includes(first.cid.toString()), 'a failed run keeps the previous pin')

    const second = await startLocal({ config: siteConfig, port: 0 })
    await second.stop()
    assert.notEqual(second.cid.toString(), first.cid.toString())
    assert.deepEqual(second.replaced, afterFailure.filter((c) => c !== second.cid.toString()))
    node = await openNode(config.store, { offline: true })
    const pins = await node.listPins()
    await node.stop()
    assert.deepEqual(
      pins.map((p) => [p.name, p.cid.toString()]),
      [['replace-site', second.cid.toString()]],
    )
  })

  it('gives up before building when its signal is aborted, and leaves the store closed', async () => {
    const config = await projectConfig('aborted')
    await assert.rejects(startLocal({ config, port: 0, signal: AbortSignal.abort() }), { name: 'AbortError' })
    const node = await openNode(config.store, { offline: true })
    await node.stop()
  })
})
