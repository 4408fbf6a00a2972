import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { normalizeConfig } from '../../src/config/index.ts'

const cwd = process.cwd()

describe('normalizeConfig names and gateways', () => {
  it('applies the IPNS defaults and keeps DNSLink entries as given', async () => {
    const config = await normalizeConfig(
      {
        names: [
          { type: 'ipns' },
          { type: 'dnslink', provider: 'cloudflare', domain: 'blog.example', tokenEnv: 'CLOUDFLARE_API_TOKEN', propagationTimeout: '90s' },
        ],
        gateways: ['https://trustless-gateway.example/'],
      },
      undefined,
      cwd,
    )
    assert.deepEqual(config.names[0], { type: 'ipns', key: 'site', keyEnv: undefined, routers: [], lifetimeMs: 30 * 86_400_000, ttlMs: 300_000 })
    assert.deepEqual(config.names[1], { type: 'dnslink', provider: 'cloudflare', domain: 'blog.example', tokenEnv: 'CLOUDFLARE_API_TOKEN', propagationTimeoutMs: 90_000 })
    assert.deepEqual(config.gateways, ['https://trustless-gateway.example'])
  })

  it('defaults to no names and no gateways', async () => {
    const config = await normalizeConfig({}, undefined, cwd)
    assert.deepEqual([config.names, config.gateways], [[], []])
  })

  it('names the option a provider needs', async () => {
    await assert.rejects(normalizeConfig({ names: [{ type: 'dnslink', provider: 'rfc2136', domain: 'a.example', server: 'ns1.a.example' }] }, 'c.json', cwd), {
      message: "c.json: `names[0].keyName` is required for provider 'rfc2136'",
    })
  })

  it('refuses a secret written into the config', async () => {
    await assert.rejects(normalizeConfig({ names: [{ type: 'dnslink', provider: 'cloudflare', domain: 'a.example', token: 'abc' }] }, 'c.json', cwd), {
      message: /`names\[0\]\.token` must not be in the config: put it in an environment variable/,
    })
    await assert.rejects(normalizeConfig({ names: [{ type: 'ipns', keyEnv: 'CAESQ+base64+key==' }] }, 'c.json', cwd), {
      message: /`names\[0\]\.keyEnv` must be the NAME of an environment variable/,
    })
  })

  it('rejects an unknown kind of name and a gateway that is not a URL', async () => {
    await assert.rejects(normalizeConfig({ names: [{ type: 'ens' }] }, 'c.json', cwd), { message: "c.json: `names[0].type` must be 'ipns' or 'dnslink', got 'ens'" })
    await assert.rejects(normalizeConfig({ gateways: ['dweb.link'] }, 'c.json', cwd), { message: /`gateways\[0\]` must be an absolute http\(s\) URL/ })
  })
})
