import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { VerifyResult } from '../../src/gateway/verify.ts'
import { runCli } from '../helpers/cli.ts'
import { startTrustlessGateway, type TrustlessGateway } from '../helpers/trustless-gateway.ts'
import { type Fixture, siteFixture } from './verify-fixtures.ts'

describe('ipfs-publish verify', () => {
  let site: Fixture
  let good: TrustlessGateway
  let tampered: TrustlessGateway
  before(async () => {
    site = await siteFixture()
    good = await startTrustlessGateway(site.store)
    tampered = await startTrustlessGateway(site.store, { tamper: [site.root] })
  })
  after(async () => {
    await good.close()
    await tampered.close()
  })

  it('prints the result as JSON with --json and exits 1 when a gateway failed', async () => {
    const run = await runCli(['verify', site.root.toString(), '--gateway', good.url, '-g', tampered.url, '--json'])
    assert.equal(run.code, 1, run.stderr)
    const result = JSON.parse(run.stdout) as VerifyResult
    assert.equal(result.cid, site.root.toString())
    assert.equal(result.ok, false)
    assert.deepEqual(
      result.gateways.map((g) => [g.url, g.ok, g.blocks, g.bytes, g.bad]),
      [
        [good.url, true, site.blocks, site.bytes, []],
        [tampered.url, false, 0, 0, [site.root.toString()]],
      ],
    )
    assert.match(result.gateways[1]?.error ?? '', /does not hash to its CID/)
  })

  it('says per gateway what it found and exits 0 when all passed', async () => {
    const run = await runCli(['verify', site.root.toString(), '--gateway', good.url, '--request-timeout', '5s'])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, new RegExp(`${site.root} is retrievable whole from the gateway`))
    assert.match(run.stderr, new RegExp(`ok {6}${good.url} {2}${site.blocks} blocks, 2\\.0 MiB, \\d+ ms \\(car\\)`))
  })

  it('names the failed gateway and the bad block in human output', async () => {
    const run = await runCli(['verify', site.root.toString(), '--gateway', tampered.url])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /FAILED on 1 of 1 gateway/)
    assert.match(run.stderr, new RegExp(`FAILED  ${tampered.url}`))
    assert.match(run.stderr, new RegExp(`bad \\(1\\): ${site.root}`))
  })

  it('refuses to run without a --gateway, with a usage error', async () => {
    const run = await runCli(['verify', site.root.toString()])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /verify needs at least one --gateway URL/)
  })

  it('reports a malformed CID as an error with its code', async () => {
    const run = await runCli(['verify', 'bafy-not-a-cid', '--gateway', good.url, '--json'])
    assert.equal(run.code, 1)
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    assert.equal(error.code, 'ERR_VERIFY')
    assert.match(error.message, /'bafy-not-a-cid' is not a CID/)
  })
})
