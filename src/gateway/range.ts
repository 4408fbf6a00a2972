/** Single byte ranges (RFC 9110 §14): what part of a file a `Range` header asks for. */

export type RangeRequest =
  /** No usable range: send the whole file with 200. */
  | { kind: 'full' }
  /** Bytes `start` to `end`, both inclusive: send them with 206. */
  | { kind: 'partial'; start: number; end: number }
  /** No byte of the range exists: 416. */
  | { kind: 'unsatisfiable' }

/**
 * Reads a `Range` header against a file of `size` bytes. A header that is malformed, for
 * another unit, or asks for several ranges is ignored (the whole file is sent), as RFC
 * 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'full' }
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (match === null) return { kind: 'full' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'full' }
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last)
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Number(last)
  if (last !== '' && end < start) return { kind: 'full' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end: Math.min(end, size - 1) }
}
