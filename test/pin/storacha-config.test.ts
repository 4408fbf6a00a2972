/**
 * A `storacha` entry of the config's `targets`: validated with messages that name the
 * option, turned into a pinner by the factory map with its secrets from the environment,
 * and that pinner uploading to the real w3up service code.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { normalizeConfig } from '../../src/config/index.ts'
import type { ResolvedTarget } from '../../src/config/targets.ts'
import { STORACHA_RECORD_DIR, STORACHA_SHARD_SIZE } from '../../src/constants.ts'
import { createPinner } from '../../src/pin/targets.ts'
import { startW3upService, type W3upService } from '../helpers/w3up-service.ts'
import { agentWithSpace, type PackedSite, packedSite, siteRequest } from './storacha-fixture.ts'

let service: W3upService
let site: PackedSite

before(async () => {
  service = await startW3upService()
  site = await packedSite()
})
after(() => service.close())

async function targets(entry: Record<string, unknown>): Promise<ResolvedTarget[]> {
  return (await normalizeConfig({ root: '/tmp', targets: [{ name: 'w3', type: 'storacha', ...entry }] }, undefined, '/tmp')).targets
}

describe('the storacha target in the config', () => {
  it('resolves with defaults: no service means the hosted one, the shard size is the client default', async () => {
    const [target] = await targets({ agentKeyEnv: 'W3_PRINCIPAL', proofEnv: 'W3_PROOF' })
    assert.deepEqual(target, {
      type: 'storacha',
      name: 'w3',
      required: true,
      agentKeyEnv: 'W3_PRINCIPAL',
      proofEnv: 'W3_PROOF',
      serviceUrl: undefined,
      serviceDid: undefined,
      receiptsUrl: undefined,
      shardSize: STORACHA_SHARD_SIZE,
      timeoutMs: 600_000,
    })
  })

  it('refuses secrets in the config, a bad DID and a shard size too small, naming the option', async () => {
    await assert.rejects(targets({ agentKeyEnv: 'A', proofEnv: 'P', proof: 'xyz' }), /`targets\[0\]\.proof` must not be in the config: .*`proofEnv`/)
    await assert.rejects(targets({ agentKeyEnv: 'A', proofEnv: 'P', agentKey: 'Mg' }), /`targets\[0\]\.agentKey` must not be in the config/)
    await assert.rejects(targets({ agentKeyEnv: 'A', proofEnv: 'P', serviceDid: 'web:x' }), /`targets\[0\]\.serviceDid` must be a DID/)
    await assert.rejects(targets({ agentKeyEnv: 'A', proofEnv: 'P', shardSize: 10 }), /`targets\[0\]\.shardSize` must be a whole number from 1024/)
    await assert.rejects(targets({ proofEnv: 'P' }), /`targets\[0\]\.agentKeyEnv` must be a non-empty string/)
  })

  it('a required target without its variables stops before anything starts; an optional one fails alone', async () => {
    const [required] = await targets({ agentKeyEnv: 'W3_PRINCIPAL', proofEnv: 'W3_PROOF' })
    assert.throws(() => createPinner(required!, { env: { W3_PRINCIPAL: 'x' } }), /the environment variable W3_PROOF is not set/)
    const [optional] = await targets({ agentKeyEnv: 'W3_PRINCIPAL', proofEnv: 'W3_PROOF', required: false })
    const result = await createPinner(optional!, { env: {}, blockstore: site.blockstore }).pin(siteRequest(site.cid))
    assert.equal(result.status, 'failed')
    assert.match(result.error ?? '', /the agent key in \$W3_PRINCIPAL is empty/)
  })

  it('the pinner the factory makes uploads to the configured service with the secrets from the environment, recording the upload in the store', async () => {
    const { secrets } = await agentWithSpace(service)
    const [target] = await targets({ agentKeyEnv: 'CI_KEY', proofEnv: 'CI_PROOF', serviceUrl: service.url.href, serviceDid: service.did, shardSize: 4096, timeout: '1m' })
    const store = await mkdtemp(join(tmpdir(), 'storacha-store-'))
    try {
      const pinner = createPinner(target!, { env: { CI_KEY: secrets.key, CI_PROOF: secrets.proof }, blockstore: site.blockstore, store })
      const result = await pinner.pin(siteRequest(site.cid))
      assert.equal(result.status, 'pinned', result.error)
      assert.equal((await pinner.list({ site: 'blog' }))[0]?.cid, site.cid.toString())
      assert.deepEqual(await readdir(join(store, STORACHA_RECORD_DIR)), [`${site.cid}.car`])
    } finally {
      await rm(store, { recursive: true, force: true })
    }
  })
})
