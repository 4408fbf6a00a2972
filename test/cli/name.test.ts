import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { readTxt } from '../../src/name/dnslink/authoritative.ts'
import { parseServer } from '../../src/name/dnslink/transport.ts'
import { runCli } from '../helpers/cli.ts'
import { KNOTD, type Knot, knotMissing, startKnot } from '../helpers/knot.ts'

const ZONE = 'names.example'
const CID_A = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'
const CID_B = 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354'
const SECRET_ENV = 'TEST_TSIG_SECRET'

let dir: string
let knot: Knot | undefined

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-name-cli-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
  if (existsSync(KNOTD)) knot = await startKnot(ZONE, ['_dnslink.other TXT "keep=me"'])
})

after(async () => {
  await knot?.stop()
  await rm(dir, { recursive: true, force: true })
})

interface NameJson {
  cid: string
  dryRun?: boolean
  names: Array<{ kind: string; name: string; previous?: string; value: string; status: string; error?: string }>
}

async function writeConfig(k: Knot, file: string, extra: object[] = []): Promise<string> {
  const path = join(dir, file)
  const names = [
    { type: 'ipns', key: 'site' },
    { type: 'dnslink', provider: 'rfc2136', domain: ZONE, server: k.address, keyName: k.key.name, secretEnv: SECRET_ENV, authoritativeServers: [k.address] },
    ...extra,
  ]
  await writeFile(path, JSON.stringify({ store: 'store', names }))
  return path
}

describe('ipfs-publish name', () => {
  it('moves the IPNS name and the DNSLink record, shows old -> new with --dry-run first, and keeps the secret out', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const config = await writeConfig(knot, 'names.json')
    const env = { [SECRET_ENV]: knot.key.secret }

    const plan = await runCli(['name', CID_A, '--config', config, '--dry-run', '--json'], { cwd: dir, env })
    assert.equal(plan.code, 0, plan.stderr)
    const planned = JSON.parse(plan.stdout) as NameJson
    assert.equal(planned.dryRun, true)
    assert.deepEqual(planned.names.map((n) => [n.kind, n.status, n.previous]), [['ipns', 'would-update', undefined], ['dnslink', 'would-update', undefined]])
    assert.deepEqual((await readTxt(parseServer(knot.address), `_dnslink.${ZONE}`)).texts, [], 'a dry run writes nothing')

    const first = await runCli(['name', CID_A, '--config', config, '--json'], { cwd: dir, env })
    assert.equal(first.code, 0, first.stderr)
    const moved = JSON.parse(first.stdout) as NameJson
    assert.deepEqual(moved.names.map((n) => [n.kind, n.status, n.value]), [['ipns', 'updated', `/ipfs/${CID_A}`], ['dnslink', 'updated', `/ipfs/${CID_A}`]])
    assert.match(moved.names[0]!.name, /^k51/)
    assert.deepEqual((await readTxt(parseServer(knot.address), `_dnslink.${ZONE}`)).texts, [`dnslink=/ipfs/${CID_A}`])

    const second = await runCli(['name', CID_B, '--config', config], { cwd: dir, env })
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stderr, new RegExp(`updated +dnslink ${ZONE.replace('.', '\\.')}: /ipfs/${CID_A} -> /ipfs/${CID_B}`))
    assert.match(second.stderr, new RegExp(`updated +ipns k51\\w+: /ipfs/${CID_A} -> /ipfs/${CID_B}`))
    for (const run of [plan, first, second]) assert.ok(!`${run.stdout}${run.stderr}`.includes(knot.key.secret), 'the TSIG secret never appears')
  })

  it('moves the names it can, reports the one that failed, and exits 1', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    // A DNSLink name whose key the server refuses: the other names still move.
    const refused = { type: 'dnslink', provider: 'rfc2136', domain: `other.${ZONE}`, server: knot.address, keyName: knot.readOnlyKey.name, secretEnv: 'TEST_READONLY_SECRET' }
    const config = await writeConfig(knot, 'partial.json', [refused])
    const env = { [SECRET_ENV]: knot.key.secret, TEST_READONLY_SECRET: knot.readOnlyKey.secret }
    const run = await runCli(['name', CID_B, '--config', config, '--json'], { cwd: dir, env })
    assert.equal(run.code, 1)
    const result = JSON.parse(run.stdout) as NameJson
    assert.deepEqual(result.names.map((n) => n.status), ['updated', 'unchanged', 'failed'])
    assert.match(result.names[2]!.error ?? '', new RegExp(knot.readOnlyKey.name.replace('.', '\\.')))
    assert.deepEqual((await readTxt(parseServer(knot.address), `_dnslink.other.${ZONE}`)).texts, ['keep=me'])
  })

  it('names the environment variable when a secret is missing', async (t) => {
    if (knotMissing(t) || knot === undefined) return
    const config = await writeConfig(knot, 'missing.json')
    const run = await runCli(['name', CID_A, '--config', config], { cwd: dir, env: { [SECRET_ENV]: '' } })
    assert.equal(run.code, 1)
    assert.match(run.stderr, new RegExp(`the environment variable ${SECRET_ENV} \\(the TSIG secret of .*\\) is not set`))
  })
})
