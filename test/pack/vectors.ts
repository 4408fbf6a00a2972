/**
 * Inputs of the IPIP-499 test vectors, built as DESIGN.md ("CID profiles") describes
 * them: ChaCha20 (IETF, zero 12-byte nonce, counter 0) keyed with sha256(seed).
 */
import { createCipheriv, createHash } from 'node:crypto'

export const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz01234567890-_'

/** A keystream reader: each call continues where the previous one stopped. */
export function keystream(seed: string): (length: number) => Buffer {
  const key = createHash('sha256').update(seed, 'utf8').digest()
  // Node's chacha20 IV is the 32-bit little-endian counter followed by the 96-bit nonce.
  const cipher = createCipheriv('chacha20', key, Buffer.alloc(16))
  return (length) => cipher.update(Buffer.alloc(length))
}

/** `size` random bytes from `seed`, in chunks of at most `chunk` bytes, never all in memory. */
export function* randomBytesFrom(seed: string, size: number, chunk = 1024 * 1024): Generator<Uint8Array> {
  const next = keystream(seed)
  for (let done = 0; done < size; done += chunk) yield next(Math.min(chunk, size - done))
}

/** `count` names of `length` characters, the last one `lastLength` long, from one keystream. */
export function directoryNames(seed: string, count: number, length: number, lastLength = length): string[] {
  const next = keystream(seed)
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    const bytes = next(i === count - 1 ? lastLength : length)
    names.push(Array.from(bytes, (b) => NAME_ALPHABET[b % NAME_ALPHABET.length]).join(''))
  }
  return names
}
