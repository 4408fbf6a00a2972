/**
 * The pinning service behind the HTTP API: add, replace and delete pin requests, resume
 * unfinished ones after a restart, and finish a replace only once the new pin is kept.
 * Replacing never unpins first: the old request (and its node pin) goes when the new one
 * is `pinned`, so blocks both share never lose their pin; if the new one fails, the old
 * one stays.
 */
import type { CID } from 'multiformats/cid'
import type { PinServerProgressEvents } from '../../events.ts'
import type { EmbeddedNode } from '../../node/types.ts'
import { PinBook } from './book.ts'
import { Fetcher } from './fetcher.ts'
import { NodePins } from './node-pins.ts'
import { parseCid } from './pin-object.ts'
import type { PinObject, PinRecord, RecordFiles } from './records.ts'
import type { UniqueClock } from './time.ts'

export interface ServiceComponents {
  node: EmbeddedNode
  files: RecordFiles
  clock: UniqueClock
  onProgress: ((event: PinServerProgressEvents) => void) | undefined
}

export interface ServiceInit {
  fetchTimeoutMs: number
  maxConcurrentFetches: number
}

export class PinService {
  readonly book: PinBook
  private readonly nodePins: NodePins
  private readonly fetcher: Fetcher
  private readonly onProgress: ServiceComponents['onProgress']
  /** Background work (releases after a delete) that `stop()` waits for. */
  private readonly background = new Set<Promise<void>>()

  constructor(components: ServiceComponents, init: ServiceInit) {
    this.onProgress = components.onProgress
    this.book = new PinBook(components)
    this.nodePins = new NodePins(components.node, (key) => this.book.needs(key))
    this.fetcher = new Fetcher(
      { node: components.node, book: this.book, nodePins: this.nodePins, onProgress: components.onProgress },
      { fetchTimeoutMs: init.fetchTimeoutMs, maxConcurrent: init.maxConcurrentFetches, onDone: (record, failure) => this.done(record, failure) },
    )
  }

  /** Loads the records; queues again those a stop or crash interrupted; finishes replaces a crash cut short. */
  async start(): Promise<void> {
    const records = await this.book.load()
    const unfinished = records.filter((r) => r.status === 'queued' || r.status === 'pinning')
    for (const record of records) {
      if (record.status === 'pinned' && record.replaces !== undefined) await this.retire(record)
    }
    for (const record of unfinished) await this.book.setStatus(record, 'queued')
    if (unfinished.length > 0) this.onProgress?.({ type: 'pin-server:resumed', detail: { pins: unfinished.length } })
    for (const record of unfinished) this.fetcher.enqueue(record)
  }

  /** Returns the request as it was created (`queued`): the fetch may change the live record at once. */
  async add(account: string, pin: PinObject, replaces?: PinRecord): Promise<PinRecord> {
    const record = await this.book.create(account, pin, replaces?.requestid)
    const created = structuredClone(record)
    this.fetcher.enqueue(record)
    return created
  }

  /** Deletes a request: its fetch stops, and the node's pin goes unless another request wants the DAG. */
  async remove(record: PinRecord): Promise<void> {
    if (!(await this.book.remove(record))) return
    this.onProgress?.({ type: 'pin-server:removed', detail: { requestid: record.requestid, cid: record.pin.cid, reason: 'deleted' } })
    this.later('DELETE', record, async () => {
      await this.fetcher.cancel(record.requestid)
      await this.release(record)
    })
  }

  /** `status_details` for a request still waiting or being fetched. */
  progress(record: PinRecord): string | undefined {
    return record.status === 'queued' || record.status === 'pinning' ? this.fetcher.details(record.requestid) : undefined
  }

  async stop(): Promise<void> {
    await this.fetcher.stop()
    await Promise.allSettled([...this.background])
    await this.nodePins.idle()
    await this.book.flush()
  }

  private async done(record: PinRecord, failure: string | null): Promise<void> {
    // Deleted while it was fetched: `remove` releases it, and a deleted replacement replaces nothing.
    if (this.book.get(record.requestid) !== record) return
    if (failure !== null) {
      await this.book.setStatus(record, 'failed', { status_details: failure })
      // Another request's pin of this DAG may have been kept only for this one.
      this.later('POST', record, () => this.release(record))
      return
    }
    await this.book.setStatus(record, 'pinned')
    if (record.replaces !== undefined) await this.retire(record)
  }

  /**
   * Removes the requests a pinned one replaces. A replaced request that was itself an
   * unfinished replacement takes what it was replacing with it, so a chain of replaces
   * ends with only the newest pin whichever finishes first.
   */
  private async retire(record: PinRecord): Promise<void> {
    let target = record.replaces === undefined ? undefined : this.book.get(record.replaces)
    while (target !== undefined && target.account === record.account) {
      const next = target.status !== 'pinned' && target.replaces !== undefined ? this.book.get(target.replaces) : undefined
      if (await this.book.remove(target)) {
        this.onProgress?.({ type: 'pin-server:removed', detail: { requestid: target.requestid, cid: target.pin.cid, reason: 'replaced' } })
        const removed = target
        // In the background: releasing waits for any fetch of the same DAG, which must not hold this one's slot.
        this.later('POST', record, async () => {
          await this.fetcher.cancel(removed.requestid)
          await this.release(removed)
        })
      }
      target = next
    }
    await this.book.setStatus(record, record.status, record.info, { replaced: true })
  }

  private async release(record: PinRecord): Promise<void> {
    const cid: CID | undefined = parseCid(record.pin.cid)
    if (cid !== undefined) await this.nodePins.release(cid)
  }

  /** Work after the answer (cancelling, unpinning), reported as an error of the request it came from. */
  private later(method: string, record: PinRecord, task: () => Promise<void>): void {
    const running = task().catch((err: unknown) => {
      this.onProgress?.({ type: 'pin-server:error', detail: { method, path: `/pins/${record.requestid}`, message: (err as Error).message } })
    })
    this.background.add(running)
    void running.finally(() => this.background.delete(running))
  }
}
