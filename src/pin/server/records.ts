/**
 * The server's pin requests on disk: one JSON file per request under `<store>/pin-server/`,
 * written to a temporary file and renamed into place, so a crash leaves either the old or
 * the new record and never half of one. Files are per request (not one log) because each
 * changes status on its own and a deleted pin is simply an unlinked file.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PinServerError } from '../../errors.ts'

export type PinServerStatus = 'queued' | 'pinning' | 'pinned' | 'failed'

/** The `Pin` object as the client sent it (after validation). */
export interface PinObject {
  cid: string
  name?: string
  origins: string[]
  meta?: Record<string, string>
}

export interface PinRecord {
  requestid: string
  /** The account: a hash of the access token that created the pin, never the token. */
  account: string
  status: PinServerStatus
  /** RFC 3339 with milliseconds; unique across the server (the spec's pagination needs it). */
  created: string
  pin: PinObject
  /** `status_details` and the like; kept for `failed`. */
  info?: Record<string, string>
  /** The requestid this pin replaces once it is pinned (`POST /pins/{requestid}`). */
  replaces?: string
}

const RECORD_FILE = /^[0-9a-f-]{36}\.json$/

export class RecordFiles {
  readonly dir: string
  /** Writes of one record happen in order: a late `pinning` must never overwrite `pinned`. */
  private readonly chains = new Map<string, Promise<void>>()

  constructor(dir: string) {
    this.dir = dir
  }

  /** Every stored record; leftover temporary files from a crash are removed. */
  async load(): Promise<PinRecord[]> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
    } catch (err) {
      throw new PinServerError(`cannot create the pin server's folder ${this.dir}: ${(err as Error).message}`, { cause: err })
    }
    const records: PinRecord[] = []
    for (const file of await readdir(this.dir)) {
      const path = join(this.dir, file)
      if (file.endsWith('.tmp')) {
        await rm(path, { force: true })
        continue
      }
      if (!RECORD_FILE.test(file)) continue
      try {
        records.push(JSON.parse(await readFile(path, 'utf8')) as PinRecord)
      } catch (err) {
        throw new PinServerError(`the pin record ${path} is unreadable (${(err as Error).message}); move it away to drop that pin`, { cause: err })
      }
    }
    return records
  }

  /** Stores a snapshot of the record as it is now. */
  write(record: PinRecord): Promise<void> {
    const text = `${JSON.stringify(record)}\n`
    return this.enqueue(record.requestid, async () => {
      const path = this.path(record.requestid)
      const temp = `${path}.${randomUUID()}.tmp`
      try {
        await writeFile(temp, text, { mode: 0o600 })
        await rename(temp, path)
      } catch (err) {
        await rm(temp, { force: true })
        throw new PinServerError(`cannot write the pin record ${path}: ${(err as Error).message}`, { cause: err })
      }
    })
  }

  remove(requestid: string): Promise<void> {
    return this.enqueue(requestid, () => rm(this.path(requestid), { force: true }))
  }

  /** Resolves once every write started so far is on disk (or has failed). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.chains.values()])
  }

  private path(requestid: string): string {
    return join(this.dir, `${requestid}.json`)
  }

  private enqueue(requestid: string, task: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(requestid) ?? Promise.resolve()).catch(() => {}).then(task)
    this.chains.set(requestid, next)
    const forget = () => {
      if (this.chains.get(requestid) === next) this.chains.delete(requestid)
    }
    next.then(forget, forget)
    return next
  }
}
