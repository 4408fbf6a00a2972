/**
 * The node's libp2p identity lives in a file of its own (not in Helia's keychain inside
 * the datastore) so that its permissions can be checked like an SSH key's, and so that
 * the PeerID a pinning service was given as an origin stays the same across runs.
 */
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { NodeError } from '../errors.ts'

/** Owner read/write only: anyone who can read the key can impersonate the node. */
const KEY_FILE_MODE = 0o600
const KEYS_DIR_MODE = 0o700

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

/** Reads the key at `path`, or creates an Ed25519 key there on first use. */
export async function loadOrCreatePeerKey(path: string): Promise<PrivateKey> {
  try {
    return await readPeerKey(path)
  } catch (err) {
    if (!isMissing(err)) throw err
  }
  const key = await generateKeyPair('Ed25519')
  await writePeerKey(path, key)
  return key
}

async function readPeerKey(path: string): Promise<PrivateKey> {
  const info = await stat(path)
  if ((info.mode & 0o077) !== 0) {
    throw new NodeError(
      `the node key ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    )
  }
  try {
    return privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    throw new NodeError(`the node key ${path} is not a libp2p private key; move it away to create a new identity`, {
      cause: err,
    })
  }
}

/**
 * Written to a temporary file created with mode 0600 and renamed into place, so the key
 * is never readable by others, not even for a moment, and a crash cannot leave half a key.
 */
async function writePeerKey(path: string, key: PrivateKey): Promise<void> {
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
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}
