/**
 * The access tokens file of `ipfs-publish pin-server --token-file`: one token per line,
 * blank lines and `#` comments ignored. Like a private key, it is refused when other
 * users can read it: anyone holding a token can pin to the server and read its pins.
 */
import { readFile, stat } from 'node:fs/promises'
import { PinServerError } from '../../errors.ts'

export async function readTokenFile(path: string): Promise<string[]> {
  let mode: number
  try {
    mode = (await stat(path)).mode
  } catch (err) {
    throw new PinServerError(`cannot read the token file ${path}: ${(err as Error).message}`, { cause: err })
  }
  if ((mode & 0o077) !== 0) {
    throw new PinServerError(`the token file ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`)
  }
  const tokens = parseTokens((await readFile(path, 'utf8')).split(/\r?\n/), `the token file ${path}`)
  if (tokens.length === 0) throw new PinServerError(`the token file ${path} has no token; put one per line`)
  return tokens
}

/** Trimmed, non-empty, non-comment entries; an entry that could not be sent in a header is refused by its position. */
export function parseTokens(entries: string[], where: string): string[] {
  const tokens: string[] = []
  entries.forEach((entry, i) => {
    const token = entry.trim()
    if (token === '' || token.startsWith('#')) return
    // Said by position, never by value: the message must not print a secret.
    if (!/^[\x21-\x7e]+$/.test(token)) throw new PinServerError(`${where}: entry ${i + 1} has spaces or non-ASCII characters, which an Authorization header cannot carry`)
    tokens.push(token)
  })
  return tokens
}
