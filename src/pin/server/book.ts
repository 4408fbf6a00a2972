/**
 * Every pin request the server holds, in memory for the queries and on disk for
 * restarts. A change is written before it is acknowledged (the 202 of `POST /pins` means
 * the request survives a crash) and announced as a `pin-server:status` event.
 */
import { randomUUID } from 'node:crypto'
import type { PinServerProgressEvents } from '../../events.ts'
import { cidKey, parseCid } from './pin-object.ts'
import type { PinObject, PinRecord, PinServerStatus, RecordFiles } from './records.ts'
import type { UniqueClock } from './time.ts'

export interface BookComponents {
  files: RecordFiles
  clock: UniqueClock
  onProgress: ((event: PinServerProgressEvents) => void) | undefined
}

export class PinBook {
  private readonly components: BookComponents
  private readonly records = new Map<string, PinRecord>()

  constructor(components: BookComponents) {
    this.components = components
  }

  /** Reads the records from disk; returns them oldest first. */
  async load(): Promise<PinRecord[]> {
    for (const record of await this.components.files.load()) {
      this.records.set(record.requestid, record)
      this.components.clock.observe(Date.parse(record.created))
    }
    return this.all()
  }

  all(): PinRecord[] {
    return [...this.records.values()].sort((a, b) => Date.parse(a.created) - Date.parse(b.created))
  }

  /** The record, if it exists and belongs to the account: another account's pins do not exist for it. */
  get(requestid: string, account?: string): PinRecord | undefined {
    const record = this.records.get(requestid)
    return record === undefined || (account !== undefined && record.account !== account) ? undefined : record
  }

  ofAccount(account: string): PinRecord[] {
    return [...this.records.values()].filter((record) => record.account === account)
  }

  async create(account: string, pin: PinObject, replaces?: string): Promise<PinRecord> {
    const record: PinRecord = {
      requestid: randomUUID(),
      account,
      status: 'queued',
      created: this.components.clock.next().toISOString(),
      pin,
      ...(replaces === undefined ? {} : { replaces }),
    }
    await this.components.files.write(record)
    this.records.set(record.requestid, record)
    this.announce(record)
    return record
  }

  /**
   * Moves a record to a new status (and `info`), dropping `replaces` once the replace is
   * done. The change shows (in answers and as an event) only once it is on disk; a
   * deleted record stays deleted.
   */
  async setStatus(record: PinRecord, status: PinServerStatus, info?: Record<string, string>, options: { replaced?: boolean } = {}): Promise<void> {
    if (this.records.get(record.requestid) !== record) return
    const next: PinRecord = { ...record, status }
    if (info === undefined) delete next.info
    else next.info = info
    if (options.replaced === true) delete next.replaces
    await this.components.files.write(next)
    if (this.records.get(record.requestid) !== record) return
    const changed = record.status !== next.status || record.info?.status_details !== next.info?.status_details
    record.status = next.status
    if (next.info === undefined) delete record.info
    else record.info = next.info
    if (next.replaces === undefined) delete record.replaces
    if (changed) this.announce(record)
  }

  /** Forgets a record; the caller releases its node pin. */
  async remove(record: PinRecord): Promise<boolean> {
    if (this.records.get(record.requestid) !== record) return false
    this.records.delete(record.requestid)
    await this.components.files.remove(record.requestid)
    return true
  }

  /** True when a record other than `except` still wants the DAG kept (a failed one does not). */
  needs(key: string, except?: string): boolean {
    for (const record of this.records.values()) {
      if (record.requestid === except || record.status === 'failed') continue
      const cid = parseCid(record.pin.cid)
      if (cid !== undefined && cidKey(cid) === key) return true
    }
    return false
  }

  flush(): Promise<void> {
    return this.components.files.flush()
  }

  private announce(record: PinRecord): void {
    const details = record.info?.status_details
    this.components.onProgress?.({
      type: 'pin-server:status',
      detail: {
        requestid: record.requestid,
        cid: record.pin.cid,
        ...(record.pin.name === undefined ? {} : { name: record.pin.name }),
        status: record.status,
        ...(details === undefined ? {} : { details }),
      },
    })
  }
}
