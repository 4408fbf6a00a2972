import assert from 'node:assert/strict'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { KeyNotFoundError, KeystoreError } from '../../src/errors.ts'
import { ipnsName, keyFromBase64, keyToBase64, openKeystore } from '../../src/name/index.ts'
import { openNode, peerKeyPath } from '../../src/node/index.ts'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-keys-'))
})
after(() => rm(dir, { recursive: true, force: true }))

/** A store folder of its own per test. */
const freshStore = (name: string): string => join(dir, name)

describe('openKeystore', () => {
  it('creates an Ed25519 key on first use, in <store>/keys/<name>.key with mode 0600, and reuses it', async () => {
    const store = freshStore('create')
    const keys = openKeystore(store)
    const first = await keys.getOrCreate('site')
    assert.equal(first.created, true)
    assert.equal(first.privateKey.type, 'Ed25519')
    const file = join(store, 'keys', 'site.key')
    assert.equal(keys.path('site'), file)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    assert.equal((await stat(join(store, 'keys'))).mode & 0o777, 0o700)
    assert.deepEqual(await readFile(file), Buffer.from(privateKeyToProtobuf(first.privateKey)))

    const again = await openKeystore(store).getOrCreate('site')
    assert.equal(again.created, false)
    assert.ok(again.privateKey.equals(first.privateKey))
    assert.ok((await keys.get('site')).equals(first.privateKey))
    // No temporary file is left beside the key.
    assert.deepEqual(await readdir(join(store, 'keys')), ['site.key'])
  })

  it('names a key by its IPNS name: a base36 CIDv1 of the public key', async () => {
    const keys = openKeystore(freshStore('name'))
    const { privateKey } = await keys.getOrCreate('site')
    const name = ipnsName(privateKey)
    assert.match(name, /^k51qzi5uqu5d[a-z0-9]+$/)
    assert.equal(name, privateKey.publicKey.toCID().toString((await import('multiformats/bases/base36')).base36))
    assert.deepEqual(await keys.list(), [{ key: 'site', name }])
  })

  it('refuses a key file that other users can read, and says to chmod 600', async () => {
    const store = freshStore('readable')
    const keys = openKeystore(store)
    await keys.getOrCreate('site')
    await chmod(keys.path('site'), 0o644)
    const expected = { name: 'KeystoreError', message: new RegExp(`can be read by other users \\(mode 644\\); run: chmod 600 ${keys.path('site')}`) }
    await assert.rejects(keys.getOrCreate('site'), expected)
    await assert.rejects(keys.get('site'), expected)
    await chmod(keys.path('site'), 0o600)
    assert.equal((await keys.getOrCreate('site')).created, false)
  })

  it('never replaces a key, even one it cannot read', async () => {
    const store = freshStore('garbage')
    const keys = openKeystore(store)
    await keys.getOrCreate('site')
    await writeFile(keys.path('site'), 'not a key', { mode: 0o600 })
    await assert.rejects(keys.getOrCreate('site'), { name: 'KeystoreError', message: /is not a libp2p private key; restore it from a backup/ })
    assert.equal(await readFile(keys.path('site'), 'utf8'), 'not a key')
    const other = await generateKeyPair('Ed25519')
    await assert.rejects(keys.add('site', other), { name: 'KeystoreError', message: /exists already/ })
  })

  it('adds a given key under a new name', async () => {
    const keys = openKeystore(freshStore('add'))
    const key = await generateKeyPair('Ed25519')
    await keys.add('imported', key)
    assert.ok((await keys.get('imported')).equals(key))
    await assert.rejects(keys.add('rsa', await generateKeyPair('secp256k1')), { name: 'KeystoreError', message: /only Ed25519/ })
  })

  it('says which key is missing', async () => {
    const keys = openKeystore(freshStore('missing'))
    await assert.rejects(keys.get('nope'), (err: unknown) => err instanceof KeyNotFoundError && /no IPNS key named 'nope'/.test(err.message))
    assert.deepEqual(await keys.list(), [])
  })

  it('refuses names that are not plain file names, and the node’s own key', async () => {
    const keys = openKeystore(freshStore('names'))
    for (const bad of ['../escape', 'a/b', '', '.hidden', 'x'.repeat(65)]) {
      await assert.rejects(keys.getOrCreate(bad), (err: unknown) => err instanceof KeystoreError && /not a usable key name/.test(err.message), bad)
    }
    await assert.rejects(keys.getOrCreate('peer'), { name: 'KeystoreError', message: /node's own identity/ })
  })

  it('lives beside the node’s peer key without listing or touching it', async () => {
    const store = freshStore('beside-node')
    const node = await openNode(store)
    const peerKey = await readFile(peerKeyPath(store))
    await node.stop()
    const keys = openKeystore(store)
    const { privateKey } = await keys.getOrCreate('site')
    assert.deepEqual(await keys.list(), [{ key: 'site', name: ipnsName(privateKey) }])
    assert.deepEqual(await readFile(peerKeyPath(store)), peerKey)
  })

  it('stops before reading when the signal is aborted', async () => {
    const keys = openKeystore(freshStore('aborted'))
    await assert.rejects(keys.getOrCreate('site', { signal: AbortSignal.abort() }), { name: 'AbortError' })
    assert.deepEqual(await keys.list(), [])
  })
})

describe('keyToBase64 / keyFromBase64', () => {
  it('round-trips a key through the text of a CI secret, whitespace and line breaks included', async () => {
    const key = await generateKeyPair('Ed25519')
    const text = keyToBase64(key)
    assert.equal(text, Buffer.from(privateKeyToProtobuf(key)).toString('base64'))
    assert.ok(keyFromBase64(text).equals(key))
    assert.ok(keyFromBase64(`  ${text.slice(0, 40)}\n${text.slice(40)}\n`).equals(key))
  })

  it('names the source, never the text, when it is not a key', () => {
    assert.throws(() => keyFromBase64('', 'the environment variable IPNS_KEY'), { name: 'KeystoreError', message: /^the environment variable IPNS_KEY is empty/ })
    assert.throws(() => keyFromBase64('s3cr3t-but-wrong'), (err: Error) => /not base64/.test(err.message) && !err.message.includes('s3cr3t'))
  })
})

describe('Keystore.replace', () => {
  it('puts a key over an existing one with mode 0600, returns the old one, and leaves no staging file', async () => {
    const store = freshStore('replace')
    const keys = openKeystore(store)
    const { privateKey: old } = await keys.getOrCreate('site')
    const next = await generateKeyPair('Ed25519')
    const replaced = await keys.replace('site', next)
    assert.ok(replaced?.equals(old))
    assert.ok((await keys.get('site')).equals(next))
    assert.equal((await stat(keys.path('site'))).mode & 0o777, 0o600)
    assert.deepEqual(await readdir(join(store, 'keys')), ['site.key'])
    assert.equal(await keys.replace('fresh', next), undefined, 'nothing to replace is fine too')
  })
})
