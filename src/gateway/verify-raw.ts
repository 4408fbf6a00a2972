/**
 * Raw block retrieval: walks the DAG block by block (`?format=raw`), a bounded number of
 * requests at a time. Used when a gateway cannot send a CAR, and to fetch what a CAR
 * lacked.
 */
import type { CID } from 'multiformats/cid'
import { AbortError } from '../errors.ts'
import { describeError, describeStatus } from '../net/retry.ts'
import { blockKey } from './block-key.ts'
import { isIdentity } from './verify-block.ts'
import type { DagTracker } from './verify-dag.ts'
import { type Fetcher, rawRequest, readBlock, request } from './verify-http.ts'

export interface RawWalkOptions {
  concurrency: number
  maxBlockBytes: number
  onBlock?: () => void
}

export interface RawWalkResult {
  /** Why each block that could not be fetched was not, by block key. */
  failures: Map<string, string>
  requests: number
}

type Fetched = { bytes: Uint8Array } | { failure: string }

async function fetchBlock(fetcher: Fetcher, cid: CID, maxBlockBytes: number): Promise<Fetched> {
  let response: Response
  try {
    response = await request(fetcher, rawRequest(fetcher.gateway, cid))
  } catch (err) {
    if (err instanceof AbortError) throw err
    return { failure: describeError(err) }
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => {})
    return { failure: describeStatus(response) }
  }
  try {
    return { bytes: await readBlock(response.body, fetcher, maxBlockBytes) }
  } catch (err) {
    if (err instanceof AbortError) throw err
    return { failure: `body: ${describeError(err)}` }
  }
}

/**
 * Fetches `start` and everything below it that the tracker does not hold yet. Identity
 * CIDs are never requested: their bytes are in the CID, so only their links are followed.
 */
export async function rawWalk(tracker: DagTracker, start: CID[], fetcher: Fetcher, options: RawWalkOptions): Promise<RawWalkResult> {
  const failures = new Map<string, string>()
  const queued = new Set<string>()
  const queue: CID[] = []
  let requests = 0

  const enqueue = (cid: CID): void => {
    const key = blockKey(cid)
    if (queued.has(key)) return
    queued.add(key)
    const links = tracker.linksFrom(cid)
    if (links !== undefined && (isIdentity(cid) || tracker.has(cid))) {
      for (const link of links) enqueue(link)
    } else if (!tracker.has(cid)) {
      queue.push(cid)
    }
  }

  const work = async (cid: CID): Promise<void> => {
    requests++
    const fetched = await fetchBlock(fetcher, cid, options.maxBlockBytes)
    if ('failure' in fetched) {
      failures.set(blockKey(cid), fetched.failure)
      return
    }
    const outcome = tracker.add(cid, fetched.bytes)
    if (outcome !== 'valid') return
    options.onBlock?.()
    for (const link of tracker.linksFrom(cid) ?? []) enqueue(link)
  }

  for (const cid of start) enqueue(cid)
  await pool(queue, options.concurrency, work)
  return { failures, requests }
}

/** Runs `work` over a queue that grows while it runs, at most `concurrency` at once; the first throw stops it. */
function pool<T>(queue: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let active = 0
    let head = 0
    let failed = false
    const next = (): void => {
      if (failed) return
      // An index instead of shift(): a site can queue many thousands of blocks.
      while (active < concurrency && head < queue.length) {
        const item = queue[head++]!
        active++
        work(item).then(
          () => {
            active--
            next()
          },
          (err: unknown) => {
            failed = true
            reject(err)
          },
        )
      }
      if (active === 0 && head === queue.length) resolve()
    }
    next()
  })
}
