/**
 * Local pins, one JSON record per pinned root in the node's datastore. These records are
 * the roots garbage collection keeps: reachability is recomputed from them on every
 * collection instead of keeping per-block reference counts that a crash or a bug could
 * leave wrong.
 */
import type { AbortOptions } from '@libp2p/interface'
import { Key } from 'interface-datastore'
import type { Datastore } from 'interface-datastore'
import { CID } from 'multiformats/cid'
import { NodeError } from '../errors.ts'

const PIN_PREFIX = '/ipfs-publish/pins/'

/** What a pin says about the DAG it keeps. `site` and `commit` are set by `deploy`. */
export interface PinMetadata {
  site?: string
  commit?: string
  [key: string]: string | number | boolean | undefined
}

export interface LocalPin {
  cid: CID
  /** A label to find the pin by (`ipfs-publish unpin NAME`); several pins may share one. */
  name: string
  /** When the CID was first pinned, ISO 8601. */
  created: string
  metadata: PinMetadata
}

interface StoredPin {
  cid: string
  name: string
  created: string
  metadata: PinMetadata
}

/** CIDv0 and CIDv1 of the same DAG are one pin. */
function keyOf(cid: CID): Key {
  return new Key(`${PIN_PREFIX}${cid.toV1().toString()}`)
}

function decode(bytes: Uint8Array, key: Key): LocalPin {
  try {
    const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredPin
    return { cid: CID.parse(stored.cid), name: stored.name, created: stored.created, metadata: stored.metadata ?? {} }
  } catch (err) {
    throw new NodeError(`the pin record ${key.toString()} in the datastore is unreadable`, { cause: err })
  }
}

export class PinRecords {
  private readonly datastore: Datastore

  constructor(datastore: Datastore) {
    this.datastore = datastore
  }

  async get(cid: CID, options: AbortOptions = {}): Promise<LocalPin | undefined> {
    const key = keyOf(cid)
    if (!(await this.datastore.has(key, options))) return undefined
    return decode(await this.datastore.get(key, options), key)
  }

  async put(pin: LocalPin, options: AbortOptions = {}): Promise<void> {
    const stored: StoredPin = { cid: pin.cid.toString(), name: pin.name, created: pin.created, metadata: pin.metadata }
    await this.datastore.put(keyOf(pin.cid), new TextEncoder().encode(JSON.stringify(stored)), options)
  }

  async delete(cid: CID, options: AbortOptions = {}): Promise<void> {
    await this.datastore.delete(keyOf(cid), options)
  }

  /** Every pin, oldest first. */
  async list(options: AbortOptions = {}): Promise<LocalPin[]> {
    const pins: LocalPin[] = []
    for await (const { key, value } of this.datastore.query({ prefix: PIN_PREFIX }, options)) {
      pins.push(decode(value, key))
    }
    return pins.sort((a, b) => a.created.localeCompare(b.created) || a.cid.toString().localeCompare(b.cid.toString()))
  }
}
