/**
 * The IPNS keystore: named libp2p Ed25519 private keys, one protobuf file per key at
 * `<store>/keys/<name>.key`, mode 0600, beside the node's own `peer.key`. A key is the
 * IPNS name itself: lose it and the name can never be moved again, so a key file is never
 * replaced (unless `key import --force` asks for exactly that), never printed (except by
 * `key export`, for a CI secret), and refused when other users can read it.
 */
import { readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { base36 } from 'multiformats/bases/base36'
import { IPNS_KEY_FILE_EXTENSION, NODE_KEYS_DIR, NODE_PEER_KEY_FILE } from '../constants.ts'
import { KeyNotFoundError, KeystoreError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import { isMissing, type KeyFileKind, loadOrCreateKeyFile, readKeyFile, writeKeyFile } from '../node/keys.ts'

/** Standard base64 with its padding (what `key export` prints); URL-safe text is refused rather than guessed at. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Letters, digits, `.`, `_`, `-`; a name is a file name, so nothing that could leave the folder. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

const IPNS_KEY: KeyFileKind = {
  label: 'the IPNS key',
  unreadableHint: 'restore it from a backup (a new key would be a new IPNS name, and links to the old one would stay stale)',
  error: KeystoreError,
}

export interface KeystoreEntry {
  /** The key's name in the keystore, e.g. `site`. */
  key: string
  /** The IPNS name it signs for: its public key as a CIDv1 (libp2p-key) in base36. */
  name: string
}

export interface Keystore {
  /** The folder holding the key files. */
  readonly dir: string
  /** The key file of a key name (which need not exist). */
  path(key: string): string
  /** The key, or `KeyNotFoundError`. */
  get(key: string, options?: AbortOptions): Promise<PrivateKey>
  /** The key, created (Ed25519) if the keystore has none of that name. */
  getOrCreate(key: string, options?: AbortOptions): Promise<{ privateKey: PrivateKey; created: boolean }>
  /** Adds a key under a new name; refuses to replace one. */
  add(key: string, privateKey: PrivateKey, options?: AbortOptions): Promise<void>
  /**
   * Puts a key under a name, replacing the one there (in one rename: never half a key).
   * Returns the replaced key when it was readable. Only for an explicit `--force`.
   */
  replace(key: string, privateKey: PrivateKey, options?: AbortOptions): Promise<PrivateKey | undefined>
  /** Every key with its IPNS name, by key name. */
  list(options?: AbortOptions): Promise<KeystoreEntry[]>
}

/** The IPNS name of a key: what goes in `/ipns/<name>` and `<name>.ipns.<gateway>`. */
export function ipnsName(privateKey: PrivateKey): string {
  return privateKey.publicKey.toCID().toString(base36)
}

/** A key as text for a CI secret: base64 of the libp2p private key protobuf (what `key export` prints). */
export function keyToBase64(privateKey: PrivateKey): string {
  return Buffer.from(privateKeyToProtobuf(privateKey)).toString('base64')
}

/**
 * The key a CI secret holds (`key export`'s output). `source` names where it came from
 * (`the environment variable IPNS_KEY`) in messages, which never quote the text itself.
 */
export function keyFromBase64(text: string, source = 'the key'): PrivateKey {
  const compact = text.replace(/\s+/g, '')
  if (compact === '') throw new KeystoreError(`${source} is empty; it should hold the output of 'ipfs-publish key export NAME'`)
  if (!BASE64.test(compact)) throw new KeystoreError(`${source} is not base64; it should hold the output of 'ipfs-publish key export NAME'`)
  let privateKey: PrivateKey
  try {
    privateKey = privateKeyFromProtobuf(Buffer.from(compact, 'base64'))
  } catch (err) {
    throw new KeystoreError(`${source} is base64 but not a libp2p private key; export it again with 'ipfs-publish key export NAME'`, { cause: err })
  }
  if (privateKey.type !== 'Ed25519') throw new KeystoreError(`${source} is a ${privateKey.type} key; IPNS names here use Ed25519 keys only`)
  return privateKey
}

/** The keystore of a project store folder (`.ipfs-publish/keys`). */
export function openKeystore(store: string): Keystore {
  return createKeystore(join(store, NODE_KEYS_DIR))
}

export function createKeystore(dir: string): Keystore {
  const path = (key: string): string => join(dir, `${checkKeyName(key)}${IPNS_KEY_FILE_EXTENSION}`)
  return {
    dir,
    path,
    async get(key, options = {}) {
      options.signal?.throwIfAborted()
      const file = path(key)
      try {
        return await readKeyFile(file, IPNS_KEY)
      } catch (err) {
        if (isMissing(err)) throw new KeyNotFoundError(`there is no IPNS key named '${key}' (no ${file})`, { cause: err })
        throw err
      }
    },
    async getOrCreate(key, options = {}) {
      options.signal?.throwIfAborted()
      const { key: privateKey, created } = await loadOrCreateKeyFile(path(key), IPNS_KEY)
      return { privateKey, created }
    },
    async add(key, privateKey, options = {}) {
      options.signal?.throwIfAborted()
      if (privateKey.type !== 'Ed25519') throw new KeystoreError(`IPNS key '${key}': only Ed25519 keys are kept, got ${privateKey.type}`)
      const file = path(key)
      try {
        await writeKeyFile(file, privateKey)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        throw new KeystoreError(`an IPNS key named '${key}' exists already (${file}); choose another name`, { cause: err })
      }
    },
    async replace(key, privateKey, options = {}) {
      options.signal?.throwIfAborted()
      if (privateKey.type !== 'Ed25519') throw new KeystoreError(`IPNS key '${key}': only Ed25519 keys are kept, got ${privateKey.type}`)
      const file = path(key)
      const previous = await readKeyFile(file, IPNS_KEY).catch(() => undefined)
      // Written whole (0600) beside the key first, then renamed over it: a crash leaves one key or the other.
      const staged = `${file}.${process.pid}.replace`
      await rm(staged, { force: true })
      try {
        await writeKeyFile(staged, privateKey)
        await rename(staged, file)
      } finally {
        await rm(staged, { force: true })
      }
      return previous
    },
    async list(options = {}) {
      options.signal?.throwIfAborted()
      let files: string[]
      try {
        files = await readdir(dir)
      } catch (err) {
        if (isMissing(err)) return []
        throw err
      }
      const entries: KeystoreEntry[] = []
      for (const file of files.sort()) {
        if (!file.endsWith(IPNS_KEY_FILE_EXTENSION) || file === NODE_PEER_KEY_FILE) continue
        const key = file.slice(0, -IPNS_KEY_FILE_EXTENSION.length)
        if (!KEY_NAME.test(key)) continue
        entries.push({ key, name: ipnsName(await readKeyFile(join(dir, file), IPNS_KEY)) })
      }
      return entries
    },
  }
}

function checkKeyName(key: string): string {
  if (!KEY_NAME.test(key)) {
    throw new KeystoreError(
      `'${key}' is not a usable key name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  // The node's own key shares the folder: its file name is taken.
  if (`${key}${IPNS_KEY_FILE_EXTENSION}` === NODE_PEER_KEY_FILE) {
    throw new KeystoreError(`the key name '${key}' is the node's own identity (${NODE_PEER_KEY_FILE}); choose another`)
  }
  return key
}
