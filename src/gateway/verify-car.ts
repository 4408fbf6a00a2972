/**
 * The CAR half of a gateway check: one request for the whole DAG, streamed chunk by chunk
 * through a decoder into the tracker, each block checked as it comes out. Says whether the
 * gateway could not send a CAR at all (the caller then walks raw blocks) or what was
 * wrong with the CAR it sent.
 */
import type { CID } from 'multiformats/cid'
import { AbortError } from '../errors.ts'
import { describeError, describeStatus, RequestTimeoutError } from '../net/retry.ts'
import { blockKey } from './block-key.ts'
import { CarDecoder, CarStreamError } from './car-decoder.ts'
import type { DagTracker } from './verify-dag.ts'
import { CAR_MEDIA_TYPE, carRequest, chunks, type Fetcher, request } from './verify-http.ts'

export type CarOutcome =
  /** No CAR came back; nothing was received. */
  | { kind: 'unavailable'; reason: string }
  /** A CAR came back; `problems` lists what was wrong with it beyond missing blocks. */
  | { kind: 'received'; problems: string[]; transferred: number }

function isCar(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';')[0]!.trim().toLowerCase() === CAR_MEDIA_TYPE
}

/** The spec says nothing of roots, but a CAR for our CID that names another root was built for something else. */
function checkRoots(roots: CID[], expected: CID): string | undefined {
  const want = blockKey(expected)
  if (roots.length === 1 && blockKey(roots[0]!) === want) return undefined
  if (roots.length === 0) return `the CAR header names no root, expected ${expected}`
  return `the CAR header names root ${roots.map(String).join(', ')}, expected ${expected}`
}

function describeStreamError(err: unknown, transferred: number, inHeader: boolean): string {
  const where = `after ${transferred} bytes`
  if (err instanceof RequestTimeoutError) return `the CAR stream stalled ${where}: ${err.message}`
  if (err instanceof CarStreamError && err.truncated) {
    return err.inHeader ? `the CAR ends inside its header (${where})` : `the CAR is truncated: it ends in the middle of a block (${where})`
  }
  const message = describeError(err)
  if (inHeader) return `the CAR header is invalid: ${message}`
  if (err instanceof TypeError) return `the connection broke ${where}: ${message}`
  return `the CAR is malformed ${where}: ${message}`
}

export interface FetchCarOptions {
  /** A block larger than this is refused. */
  maxBlockBytes: number
  /** Called after each new valid block of the DAG. */
  onBlock: () => void
}

export async function fetchCar(tracker: DagTracker, fetcher: Fetcher, options: FetchCarOptions): Promise<CarOutcome> {
  let response: Response
  try {
    response = await request(fetcher, carRequest(fetcher.gateway, tracker.root))
  } catch (err) {
    if (err instanceof AbortError) throw err
    return { kind: 'unavailable', reason: `CAR request failed: ${describeError(err)}` }
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => {})
    return { kind: 'unavailable', reason: `CAR request answered ${describeStatus(response)}` }
  }
  const contentType = response.headers.get('content-type')
  if (!isCar(contentType)) {
    // A gateway that ignores ?format=car sends the deserialized file or an HTML listing instead.
    await response.body.cancel().catch(() => {})
    return { kind: 'unavailable', reason: `CAR request answered with Content-Type ${contentType ?? '(none)'}, not a CAR` }
  }

  const counter = { bytes: 0 }
  const body = chunks(response.body, fetcher, counter)
  const problems: string[] = []
  const decoder = new CarDecoder({
    maxBlockBytes: options.maxBlockBytes,
    onRoots: (roots) => {
      const rootProblem = checkRoots(roots, tracker.root)
      if (rootProblem !== undefined) problems.push(rootProblem)
    },
    onBlock: (cid, bytes) => {
      if (tracker.add(cid, bytes) === 'valid') options.onBlock()
    },
  })
  try {
    for await (const chunk of body) decoder.push(chunk)
    decoder.end()
  } catch (err) {
    if (err instanceof AbortError) throw err
    problems.push(describeStreamError(err, counter.bytes, decoder.inHeader))
  } finally {
    // Ends the request if the decoder stopped before the body did.
    await body.return(undefined)
  }
  return { kind: 'received', problems, transferred: counter.bytes }
}
