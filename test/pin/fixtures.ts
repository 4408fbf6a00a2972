/** Shared by the pin tests: CIDs, requests, and a check that a secret never leaks. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import type { PinKind, PinProgressEvents, PinRequest } from '../../src/pin/index.ts'

/** A token that cannot appear by accident in any output. */
export function secretToken(): string {
  return `tok-${randomBytes(12).toString('hex')}`
}

/** A fresh CID (a raw block nobody has). */
export async function randomCid(): Promise<CID> {
  return CID.createV1(0x55, await sha256.digest(randomBytes(32)))
}

export const ORIGIN = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWLb1MtzQdNHSbYLCH7Tn5GWxvWgb4yMmxh3qvRCmr7H8p'

export function request(cid: CID, site: string, options: { kind?: PinKind; preview?: string; live?: string[]; commit?: string } = {}): PinRequest {
  const kind = options.kind ?? (options.preview === undefined ? 'production' : 'preview')
  return {
    cid,
    name: options.preview === undefined ? site : `${site}@${options.preview}`,
    meta: { site, kind, ...(options.preview === undefined ? {} : { preview: options.preview }), ...(options.commit === undefined ? {} : { commit: options.commit }) },
    origins: [ORIGIN],
    ...(options.live === undefined ? {} : { live: options.live }),
  }
}

/** Collects progress events. */
export function recorder(): { events: PinProgressEvents[]; onProgress: (e: PinProgressEvents) => void } {
  const events: PinProgressEvents[] = []
  return { events, onProgress: (e) => events.push(e) }
}

/** Fails if the token shows up in any of the texts (events, errors, output), whole or as its Bearer header. */
export function assertNoSecret(token: string, ...texts: unknown[]): void {
  for (const text of texts) {
    const serialized = typeof text === 'string' ? text : text instanceof Error ? `${text.message}\n${text.stack}` : JSON.stringify(text)
    assert.ok(!serialized.includes(token), `the token leaked into: ${serialized.slice(0, 300)}`)
  }
}
