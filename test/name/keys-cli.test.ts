import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { ipnsName, keyFromBase64, keyToBase64, openKeystore } from '../../src/name/index.ts'
import { BIN, type CliRun, runCli } from '../helpers/cli.ts'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-key-cli-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
})
after(() => rm(dir, { recursive: true, force: true }))

/** The CLI with `input` on its stdin (runCli leaves stdin open and empty). */
function runWithInput(args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') return reject(error)
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
    child.stdin?.end(input)
  })
}

const cli = (args: string[]): Promise<CliRun> => runCli(args, { cwd: dir })
const keyFile = (name: string): string => join(dir, '.ipfs-publish', 'keys', `${name}.key`)

describe('ipfs-publish key', () => {
  it('round-trips a key through gen, export and import: same IPNS name, files 0600, key material only in export’s stdout', async () => {
    const gen = await cli(['key', 'gen', 'site', '--json'])
    assert.equal(gen.code, 0, gen.stderr)
    const { name } = JSON.parse(gen.stdout) as { name: string }
    assert.match(name, /^k51qzi5uqu5d[a-z0-9]+$/)
    assert.equal((await stat(keyFile('site'))).mode & 0o777, 0o600)

    const exported = await cli(['key', 'export', 'site'])
    assert.equal(exported.code, 0, exported.stderr)
    const secret = exported.stdout.trim()
    assert.equal(exported.stdout, `${secret}\n`, 'stdout is the key and nothing else')
    assert.deepEqual(Buffer.from(secret, 'base64'), await readFile(keyFile('site')), 'base64 of the libp2p protobuf on disk')
    assert.match(exported.stderr, new RegExp(`warning: this is the private key of /ipns/${name}`))
    assert.ok(!exported.stderr.includes(secret))

    const piped = await runWithInput(['key', 'import', 'copy'], `${secret}\n`)
    assert.equal(piped.code, 0, piped.stderr)
    assert.match(piped.stderr, new RegExp(`imported the IPNS key 'copy': /ipns/${name}`))
    const fromEnv = await runWithInput(['key', 'import', 'ci', '--from-env', 'IPNS_KEY_FOR_TEST', '--json'], '', { IPNS_KEY_FOR_TEST: secret })
    assert.equal(fromEnv.code, 0, fromEnv.stderr)
    assert.equal((JSON.parse(fromEnv.stdout) as { name: string }).name, name)
    for (const key of ['copy', 'ci']) assert.equal((await stat(keyFile(key))).mode & 0o777, 0o600, key)

    const list = await cli(['key', 'list', '--json'])
    assert.equal(list.code, 0, list.stderr)
    assert.deepEqual((JSON.parse(list.stdout) as { keys: unknown[] }).keys, [
      { key: 'ci', name },
      { key: 'copy', name },
      { key: 'site', name },
    ])
    const human = await cli(['key', 'list'])
    assert.match(human.stderr, new RegExp(`^site  ${name}$`, 'm'))
    const raw = (await readFile(keyFile('site'))).toString('hex')
    for (const run of [gen, piped, fromEnv, list, human]) {
      for (const text of [run.stdout, run.stderr]) {
        assert.ok(!text.includes(secret) && !text.includes(raw), 'no key material outside key export')
      }
    }
  })

  it('refuses to create or import over an existing key unless --force, and warns when --force replaces another name', async () => {
    assert.equal((await cli(['key', 'gen', 'main'])).code, 0)
    const before = await readFile(keyFile('main'))
    const again = await cli(['key', 'gen', 'main'])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /an IPNS key named 'main' exists already/)

    const other = await generateKeyPair('Ed25519')
    const refused = await runWithInput(['key', 'import', 'main'], keyToBase64(other))
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /exists already .* replace it with --force/)
    assert.deepEqual(await readFile(keyFile('main')), before)

    const forced = await runWithInput(['key', 'import', 'main', '--force'], keyToBase64(other))
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stderr, /warning: replaced the key 'main' of \/ipns\/k51\w+/)
    assert.match(forced.stderr, new RegExp(`imported the IPNS key 'main': /ipns/${ipnsName(other)}`))
    assert.deepEqual(await readFile(keyFile('main')), Buffer.from(privateKeyToProtobuf(other)))
    assert.equal((await stat(keyFile('main'))).mode & 0o777, 0o600)
    assert.ok((await openKeystore(join(dir, '.ipfs-publish')).get('main')).equals(other))
  })

  it('says what is wrong with input that is not an exported key, without quoting it', async () => {
    const notBase64 = await runWithInput(['key', 'import', 'bad'], 'this is not a key!')
    assert.equal(notBase64.code, 1)
    assert.match(notBase64.stderr, /the key read from stdin is not base64/)
    assert.ok(!notBase64.stderr.includes('this is not a key'))
    const notAKey = await runWithInput(['key', 'import', 'bad'], Buffer.from('hello world').toString('base64'))
    assert.match(notAKey.stderr, /is base64 but not a libp2p private key/)
    const unset = await runWithInput(['key', 'import', 'bad', '--from-env', 'NO_SUCH_VARIABLE_HERE'], '')
    assert.equal(unset.code, 2)
    assert.match(unset.stderr, /--from-env: the environment variable NO_SUCH_VARIABLE_HERE is not set/)
    const secp = await generateKeyPair('secp256k1')
    assert.throws(() => keyFromBase64(keyToBase64(secp), 'the environment variable X'), { name: 'KeystoreError', message: /X is a secp256k1 key/ })
  })

  it('names the subcommands and the missing key on misuse', async () => {
    const none = await cli(['key'])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /key needs one of gen, list, export, import/)
    const missing = await cli(['key', 'export', 'nope'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /there is no IPNS key named 'nope'/)
    assert.equal(missing.stdout, '')
    const stray = await cli(['key', 'gen', 'x', '--force'])
    assert.equal(stray.code, 2)
    assert.match(stray.stderr, /options of 'key import'/)
  })
})
