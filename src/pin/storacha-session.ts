/**
 * One `storacha` operation's w3up client: the agent key as its principal, an in-memory
 * agent store (nothing is written under the home folder, unlike w3cli), the proof added as
 * the current space, and every request sent through the operation's transport fetch.
 * A client per operation keeps each one's signal and counters its own.
 */
import { create } from '@web3-storage/w3up-client'
import type { Client } from '@web3-storage/w3up-client/client'
import { StoreMemory } from '@web3-storage/w3up-client/stores/memory'
import type { RetryInfo } from '../net/retry.ts'
import type { AgentSigner, ParsedProof } from './storacha-auth.ts'
import { transportFetch, w3upConnection } from './storacha-connection.ts'

export interface ServiceEndpoint {
  url: URL
  did: string
  receiptsUrl: URL
}

export interface Session {
  client: Client
  /** The fetch the client was given, also to be passed to upload calls (PUTs and receipts). */
  fetch: typeof fetch
  /** Bytes PUT so far in this operation. */
  readonly uploadedBytes: number
}

export async function openSession(
  agent: AgentSigner,
  proof: ParsedProof,
  service: ServiceEndpoint,
  options: { fetch: typeof fetch; signal: AbortSignal; onRetry: (info: RetryInfo) => void },
): Promise<Session> {
  let uploadedBytes = 0
  const fetch = transportFetch({
    fetch: options.fetch,
    signal: options.signal,
    receiptsUrl: service.receiptsUrl,
    onRetry: options.onRetry,
    onPut: (bytes) => {
      uploadedBytes += bytes
    },
  })
  const connection = w3upConnection({ url: service.url, did: service.did, fetch })
  const client = await create({
    principal: agent,
    store: new StoreMemory(),
    serviceConf: { access: connection, upload: connection, filecoin: connection },
    receiptsEndpoint: service.receiptsUrl,
  })
  await client.addSpace(proof.delegation)
  await client.setCurrentSpace(proof.space)
  return {
    client,
    fetch,
    get uploadedBytes() {
      return uploadedBytes
    },
  }
}
