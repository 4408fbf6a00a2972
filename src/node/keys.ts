/**
 * Private key files. The node's libp2p identity lives in a file of its own (not in Helia's
 * keychain inside the datastore) so that its permissions can be checked like an SSH
 * key's, and so that the PeerID a pinning service was given as an origin stays the same
 * across runs. The IPNS keystore (`src/name/keys.ts`) keeps its keys the same way.
 */
import { chmod, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { NodeError } from '../errors.ts'

/** Owner read/write only: anyone who can read the key can impersonate the node. */
const KEY_FILE_MODE = 0o600
const KEYS_DIR_MODE = 0o700

/** How messages name a kind of key file, and the error its problems raise. */
export interface KeyFileKind {
  /** e.g. 'the node key'; followed by the file's path in messages. */
  label: string
  /** What to do when the file holds no key, e.g. 'move it away to create a new identity'. */
  unreadableHint: string
  error: new (message: string, options?: { cause?: unknown }) => Error
}

const PEER_KEY: KeyFileKind = { label: 'the node key', unreadableHint: 'move it away to create a new identity', error: NodeError }

export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

/** Reads the node's key at `path`, or creates an Ed25519 key there on first use. */
export async function loadOrCreatePeerKey(path: string): Promise<PrivateKey> {
  return (await loadOrCreateKeyFile(path, PEER_KEY)).key
}

/** Reads the key at `path`, or creates an Ed25519 key there if there is none. */
export async function loadOrCreateKeyFile(path: string, kind: KeyFileKind): Promise<{ key: PrivateKey; created: boolean }> {
  try {
    return { key: await readKeyFile(path, kind), created: false }
  } catch (err) {
    if (!isMissing(err)) throw err
  }
  const key = await generateKeyPair('Ed25519')
  try {
    await writeKeyFile(path, key)
  } catch (err) {
    // Another process created it first: theirs is the key from now on.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: await readKeyFile(path, kind), created: false }
    throw err
  }
  return { key, created: true }
}

/** Reads a key file, refusing one that other users can read. A missing file throws ENOENT. */
export async function readKeyFile(path: string, kind: KeyFileKind): Promise<PrivateKey> {
  const info = await stat(path)
  if ((info.mode & 0o077) !== 0) {
    throw new kind.error(`${kind.label} ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${path}`)
  }
  try {
    return privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    throw new kind.error(`${kind.label} ${path} is not a libp2p private key; ${kind.unreadableHint}`, { cause: err })
  }
}

/**
 * Written to a temporary file created with mode 0600 and linked into place, so the key is
 * never readable by others, not even for a moment, a crash cannot leave half a key, and
 * an existing key is never replaced (that fails with EEXIST): losing a key loses the
 * identity or the name it signs for.
 */
export async function writeKeyFile(path: string, key: PrivateKey): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: KEYS_DIR_MODE })
  const temp = `${path}.${process.pid}.tmp`
  const handle = await open(temp, 'wx', KEY_FILE_MODE)
  try {
    await handle.writeFile(privateKeyToProtobuf(key))
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    // The umask may have narrowed the mode further, never widened it; make it exact.
    await chmod(temp, KEY_FILE_MODE)
    await linkOrRename(temp, path)
  } finally {
    await rm(temp, { force: true })
  }
}

/** `link` refuses to replace; file systems without hard links get a checked rename instead. */
async function linkOrRename(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err
    const exists = await stat(path).then(
      () => true,
      (e: unknown) => (isMissing(e) ? false : Promise.reject(e)),
    )
    if (exists) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' })
    await rename(temp, path)
  }
}
