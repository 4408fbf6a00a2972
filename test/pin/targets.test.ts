/** The `targets` config section and the pinners built from it. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { normalizeConfig } from '../../src/config/index.ts'
import { PIN_TIMEOUT_MS } from '../../src/constants.ts'
import { createPinners } from '../../src/pin/index.ts'
import { randomCid, request } from './fixtures.ts'

const normalize = (targets: unknown) => normalizeConfig({ root: '.', targets }, '/p/publish.config.json', '/p')

describe('config targets', () => {
  it('defaults to the embedded node alone', async () => {
    const config = await normalizeConfig({ root: '.' }, undefined, '/p')
    assert.deepEqual(config.targets, [{ type: 'local', name: 'local', required: true }])
  })

  it('resolves a pinning service with its defaults and the timeout in milliseconds', async () => {
    const config = await normalize([
      { name: 'local', type: 'local', required: false },
      { name: 'pinata', type: 'pinning-service', endpoint: 'https://api.pinata.cloud/psa/', tokenEnv: 'PINATA_TOKEN' },
      { name: 'slow', type: 'pinning-service', endpoint: 'http://127.0.0.1:5050', tokenEnv: 'SLOW', timeout: '1h30m', gateway: 'https://gw.example.org/' },
    ])
    assert.deepEqual(config.targets, [
      { type: 'local', name: 'local', required: false },
      { type: 'pinning-service', name: 'pinata', required: true, endpoint: 'https://api.pinata.cloud/psa', tokenEnv: 'PINATA_TOKEN', timeoutMs: PIN_TIMEOUT_MS },
      { type: 'pinning-service', name: 'slow', required: true, endpoint: 'http://127.0.0.1:5050', tokenEnv: 'SLOW', timeoutMs: 90 * 60 * 1000, gateway: 'https://gw.example.org' },
    ])
  })

  it('rejects invalid entries with messages that name the option', async () => {
    const service = { name: 's', type: 'pinning-service', endpoint: 'https://psa.example', tokenEnv: 'S_TOKEN' }
    const cases: Array<[unknown, RegExp]> = [
      [[], /`targets` must list at least one target/],
      [[{ name: 'x', type: 'kubo' }], /`targets\[0\]\.type` must be one of 'local', 'pinning-service'.*, got 'kubo'/],
      [[{ ...service, token: 'abc' }], /`targets\[0\]\.token` must not be in the config: put the token in an environment variable/],
      [[{ ...service, tokenEnv: 'eyJhbGciOi.secret' }], /`targets\[0\]\.tokenEnv` must be the NAME of an environment variable/],
      [[{ ...service, endpoint: 'https://user:pw@psa.example' }], /`targets\[0\]\.endpoint` must not carry credentials/],
      [[{ ...service, timeout: 'soon' }], /`targets\[0\]\.timeout` must be a duration such as 90s/],
      [[{ ...service, endpint: 'x' }], /`targets\[0\]\.endpint` is not a known option \(did you mean `endpoint`\?\)/],
      [[{ name: 'a', type: 'local' }, { name: 'a', type: 'local' }], /`targets\[1\]\.name` 'a' is used by an earlier target/],
      [[{ name: 'a b', type: 'local' }], /`targets\[0\]\.name` must be letters, digits/],
      [[{ ...service, gateway: 'gw.example.org' }], /`targets\[0\]\.gateway` must be an absolute http\(s\) URL/],
      [[{ name: 'local', type: 'local', gateway: 'https://gw.example.org' }], /`targets\[0\]\.gateway` the embedded node has no gateway to name here/],
    ]
    for (const [targets, message] of cases) {
      await assert.rejects(normalize(targets), (err: Error) => {
        assert.equal(err.name, 'ConfigError')
        assert.match(err.message, /^\/p\/publish\.config\.json: /)
        assert.match(err.message, message)
        return true
      })
    }
  })
})

describe('createPinners', () => {
  const target = { type: 'pinning-service' as const, name: 'svc', endpoint: 'http://127.0.0.1:9', tokenEnv: 'SVC_TOKEN', timeoutMs: 1000 }

  it('refuses a required service whose token variable is not set', () => {
    assert.throws(() => createPinners([{ ...target, required: true }], { env: {} }), {
      name: 'ConfigError',
      message: /target 'svc': the environment variable SVC_TOKEN is not set/,
    })
  })

  it('lets an optional service without a token fail on its own', async () => {
    const [pinner] = createPinners([{ ...target, required: false }], { env: {} })
    const result = await pinner!.pin(request(await randomCid(), 'blog'))
    assert.deepEqual([result.status, pinner!.required], ['failed', false])
    assert.match(result.error ?? '', /SVC_TOKEN is not set/)
  })

  it('needs the embedded node for a local target', () => {
    assert.throws(() => createPinners([{ type: 'local', name: 'local', required: true }], { env: {} }), { name: 'ConfigError' })
  })
})
