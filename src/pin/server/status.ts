/** The spec's `PinStatus` object for a record, with the server node's addresses as `delegates`. */
import { PINNING_API_LIMITS } from '../../constants.ts'
import type { PinRecord, PinServerStatus } from './records.ts'

export interface PinStatusBody {
  requestid: string
  status: PinServerStatus
  created: string
  pin: { cid: string; name?: string; origins: string[]; meta?: Record<string, string> }
  delegates: string[]
  info: Record<string, string>
}

/**
 * `details` is the live `status_details` of a queued or running pin (queue position,
 * blocks fetched), which is not worth a disk write per block.
 */
export function pinStatus(record: PinRecord, delegates: string[], details?: string): PinStatusBody {
  const { cid, name, origins, meta } = record.pin
  return {
    requestid: record.requestid,
    status: record.status,
    created: record.created,
    pin: { cid, ...(name === undefined ? {} : { name }), origins, ...(meta === undefined ? {} : { meta }) },
    delegates: delegates.slice(0, PINNING_API_LIMITS.maxAddresses),
    info: { ...record.info, ...(details === undefined ? {} : { status_details: details }) },
  }
}
