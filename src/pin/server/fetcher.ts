/**
 * The fetch queue: pins wait `queued` until one of `maxConcurrent` slots is free, then go
 * `pinning` while the node dials their origins and walks the whole DAG, fetching what it
 * lacks over Bitswap, within `fetchTimeoutMs`. The outcome goes to `onDone`; a pin that was
 * deleted or cut short by the server stopping has no outcome (a stopped one is resumed
 * at the next start from its record on disk).
 */
import type { EmbeddedNode } from '../../node/types.ts'
import type { PinServerProgressEvents } from '../../events.ts'
import type { PinBook } from './book.ts'
import type { NodePins } from './node-pins.ts'
import { parseCid } from './pin-object.ts'
import type { PinRecord } from './records.ts'

export interface FetcherComponents {
  node: EmbeddedNode
  book: PinBook
  nodePins: NodePins
  onProgress: ((event: PinServerProgressEvents) => void) | undefined
}

export interface FetcherInit {
  fetchTimeoutMs: number
  maxConcurrent: number
  /** Called once a fetch ends with the pin kept (`null`) or failed (the reason). */
  onDone: (record: PinRecord, failure: string | null) => Promise<void>
}

interface Running {
  cancel: AbortController
  blocks: number
  done: Promise<void>
}

/** `600000` → `10m`, `1500` → `1.5s`: how a timeout reads in `status_details`. */
function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`
}

export class Fetcher {
  private readonly components: FetcherComponents
  private readonly init: FetcherInit
  private readonly waiting: PinRecord[] = []
  private readonly running = new Map<string, Running>()
  private readonly stopping = new AbortController()

  constructor(components: FetcherComponents, init: FetcherInit) {
    this.components = components
    this.init = init
  }

  enqueue(record: PinRecord): void {
    if (this.stopping.signal.aborted) return
    this.waiting.push(record)
    this.pump()
  }

  /** Drops a queued pin or aborts a running fetch (the pin was deleted). */
  async cancel(requestid: string): Promise<void> {
    const index = this.waiting.findIndex((r) => r.requestid === requestid)
    if (index !== -1) this.waiting.splice(index, 1)
    const running = this.running.get(requestid)
    if (running === undefined) return
    running.cancel.abort()
    await running.done
  }

  /** "queue position: 2 of 5" for a queued pin, "N blocks so far" for one being fetched. */
  details(requestid: string): string | undefined {
    const index = this.waiting.findIndex((r) => r.requestid === requestid)
    if (index !== -1) return `queue position: ${index + 1} of ${this.waiting.length}`
    const running = this.running.get(requestid)
    return running === undefined ? undefined : `fetching the DAG: ${running.blocks} blocks so far`
  }

  /** Aborts every fetch (their records stay `queued`/`pinning` on disk) and waits for them to end. */
  async stop(): Promise<void> {
    this.stopping.abort()
    this.waiting.length = 0
    await Promise.allSettled([...this.running.values()].map((r) => r.done))
  }

  private pump(): void {
    while (this.running.size < this.init.maxConcurrent && !this.stopping.signal.aborted) {
      const record = this.waiting.shift()
      if (record === undefined) return
      const running: Running = { cancel: new AbortController(), blocks: 0, done: Promise.resolve() }
      this.running.set(record.requestid, running)
      running.done = this.fetch(record, running)
        .catch((err: unknown) => {
          // The outcome could not be recorded (the disk): say so; the record keeps its last status.
          const detail = { method: 'POST', path: `/pins/${record.requestid}`, message: (err as Error).message }
          this.components.onProgress?.({ type: 'pin-server:error', detail })
        })
        .finally(() => {
          this.running.delete(record.requestid)
          this.pump()
        })
    }
  }

  private async fetch(record: PinRecord, running: Running): Promise<void> {
    const { book, nodePins } = this.components
    const cid = parseCid(record.pin.cid)
    if (cid === undefined) return this.init.onDone(record, `${JSON.stringify(record.pin.cid)} is not a CID`)
    const timeout = AbortSignal.timeout(this.init.fetchTimeoutMs)
    const signal = AbortSignal.any([running.cancel.signal, this.stopping.signal, timeout])
    let dials = 'the origins were not dialled yet'
    try {
      await book.setStatus(record, 'pinning')
      dials = await this.dialOrigins(record, signal)
      await nodePins.pin(cid, record.pin.name ?? record.requestid, {
        signal,
        onBlock: (blocks) => {
          running.blocks = blocks
        },
      })
    } catch (err) {
      if (running.cancel.signal.aborted || this.stopping.signal.aborted) return
      // The node's own errors already name the CID ("cannot pin <cid>: ...").
      const reason = timeout.aborted ? `could not fetch ${cid} from the origins within ${formatMs(this.init.fetchTimeoutMs)}: ${dials}` : (err as Error).message
      return this.init.onDone(record, reason)
    }
    return this.init.onDone(record, null)
  }

  /**
   * Dials every origin at once. A dial that fails does not fail the pin (the spec: provider
   * hints are best effort; the client may dial our delegates instead); what happened is
   * returned for `status_details` in case the fetch then times out.
   */
  private async dialOrigins(record: PinRecord, signal: AbortSignal): Promise<string> {
    const { node, onProgress } = this.components
    // Cancelled or stopping: nobody reads the summary. A timeout is reported like a failed dial.
    const cancelled = (s: AbortSignal) => s.aborted && (s.reason as Error | undefined)?.name !== 'TimeoutError'
    const origins = record.pin.origins
    if (origins.length === 0) return 'no origins were given and no connected peer had every block'
    const failures: string[] = []
    await Promise.all(
      origins.map(async (address) => {
        try {
          await node.dial(address, { signal })
          onProgress?.({ type: 'pin-server:origin', detail: { requestid: record.requestid, address, ok: true } })
        } catch (err) {
          if (cancelled(signal)) return
          const message = signal.aborted ? `could not connect to ${address} before the timeout` : (err as Error).message
          failures.push(message)
          onProgress?.({ type: 'pin-server:origin', detail: { requestid: record.requestid, address, ok: false, message } })
        }
      }),
    )
    const failed = failures.join('; ')
    if (failures.length === origins.length) return `no origin could be dialled (${failed})`
    if (failures.length === 0) return 'the origins were connected but did not send every block'
    return `some origins could not be dialled (${failed}) and the others did not send every block`
  }
}
