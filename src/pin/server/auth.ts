/**
 * Bearer tokens (`Authorization: Bearer <token>`). Each token is an account: the pins a
 * token creates are visible to that token only. Records name the account by a hash of
 * the token, so the server's disk never holds a token. Comparisons run over fixed-length
 * digests with `timingSafeEqual` and look at every configured token, so the time taken
 * says nothing about how much of a guess was right or which token it was close to.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** The tokens the server accepts: a list, or a check (e.g. against a database). */
export type TokenCheck = string[] | ((token: string) => boolean | Promise<boolean>)

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** The account a token stands for, as stored in pin records. */
export function accountOf(token: string): string {
  return createHash('sha256').update('ipfs-publish pin-server account\0').update(token, 'utf8').digest('hex')
}

export class Authenticator {
  private readonly check: (token: string) => Promise<boolean>

  constructor(tokens: TokenCheck) {
    if (typeof tokens === 'function') {
      this.check = async (token) => (await tokens(token)) === true
    } else {
      const digests = tokens.map(digest)
      this.check = async (token) => {
        const candidate = digest(token)
        let found = false
        for (const known of digests) found = timingSafeEqual(candidate, known) || found
        return found
      }
    }
  }

  /** The account of the request's bearer token, or undefined when it has none or an unknown one. */
  async account(headers: IncomingHttpHeaders): Promise<string | undefined> {
    const match = BEARER.exec(headers.authorization ?? '')
    const token = match?.[1]
    if (token === undefined) return undefined
    return (await this.check(token)) ? accountOf(token) : undefined
  }
}
