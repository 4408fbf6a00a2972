/**
 * Which representation a request wants: the deserialized content (the default), or one of
 * the explicit formats, from `?format=` (which wins) or the `Accept` header.
 */
import { HttpError } from './http-error.ts'

export type DagScope = 'all' | 'entity' | 'block'

export interface CarOptions {
  scope: DagScope
  /** `entity-bytes=from:to` as given; resolved against the file size later. */
  entityBytes: { from: number; to: number | '*' } | undefined
  /** Send a block again each time the walk meets it (`dups=y`). */
  dups: boolean
}

export type ResponseFormat =
  | { kind: 'deserialized' }
  | { kind: 'raw' }
  | { kind: 'car'; car: CarOptions }
  | { kind: 'ipns-record' }
  /** A block served as-is when its codec matches (`dag-json`, `dag-cbor`, `json`, `cbor`). */
  | { kind: 'codec'; name: CodecFormat }

export type CodecFormat = 'dag-json' | 'dag-cbor' | 'json' | 'cbor'

export interface Negotiated {
  format: ResponseFormat
  /** Set when the format came from `Accept` only: the URL to give as `Content-Location`. */
  viaAccept: boolean
  /** The `format` query value, for `Content-Location`. */
  name: string | undefined
}

/**
 * Media types that select an explicit format through `Accept`. `application/json` and
 * `application/cbor` are left out: a page's script asking for JSON wants the file itself.
 */
const MEDIA_TYPES: Record<string, string> = {
  'application/vnd.ipld.raw': 'raw',
  'application/vnd.ipld.car': 'car',
  'application/vnd.ipfs.ipns-record': 'ipns-record',
  'application/vnd.ipld.dag-json': 'dag-json',
  'application/vnd.ipld.dag-cbor': 'dag-cbor',
  'application/x-tar': 'tar',
}

interface MediaRange {
  type: string
  params: Map<string, string>
  q: number
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...rawParams] = part.split(';').map((s) => s.trim())
      const params = new Map<string, string>()
      for (const p of rawParams) {
        const eq = p.indexOf('=')
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''))
      }
      const q = Number(params.get('q') ?? '1')
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 }
    })
    .filter((r) => r.q > 0)
}

function parseEntityBytes(text: string): CarOptions['entityBytes'] {
  const match = /^(-?\d+):(\*|-?\d+)$/.exec(text)
  if (match === null) throw new HttpError(400, `entity-bytes must be 'from:to' (integers, or * for the end), got '${text}'`)
  const from = Number(match[1])
  const to = match[2] === '*' ? '*' : Number(match[2])
  if (from >= 0 && typeof to === 'number' && to >= 0 && to < from) {
    throw new HttpError(400, `entity-bytes: 'to' (${to}) is before 'from' (${from})`)
  }
  return { from, to }
}

function carOptions(query: URLSearchParams, accepted: MediaRange | undefined): CarOptions {
  const version = query.get('car-version') ?? accepted?.params.get('version')
  if (version !== undefined && version !== null && version !== '1') {
    throw new HttpError(400, `only CAR version 1 is served, not version ${version}`)
  }
  const order = query.get('car-order') ?? accepted?.params.get('order')
  if (order !== undefined && order !== null && order !== 'dfs' && order !== 'unk') {
    throw new HttpError(400, `CAR order '${order}' is not supported; this gateway sends order=dfs`)
  }
  const dups = query.get('car-dups') ?? accepted?.params.get('dups') ?? 'n'
  if (dups !== 'y' && dups !== 'n') throw new HttpError(400, `CAR dups must be 'y' or 'n', got '${dups}'`)
  const scope = query.get('dag-scope') ?? 'all'
  if (scope !== 'all' && scope !== 'entity' && scope !== 'block') {
    throw new HttpError(400, `dag-scope must be all, entity or block, got '${scope}'`)
  }
  const bytes = query.get('entity-bytes')
  const entityBytes = bytes === null ? undefined : parseEntityBytes(bytes)
  return { scope: entityBytes === undefined ? scope : 'entity', entityBytes, dups: dups === 'y' }
}

function toFormat(name: string, query: URLSearchParams, accepted: MediaRange | undefined): ResponseFormat {
  switch (name) {
    case 'raw':
    case 'ipns-record':
      return { kind: name }
    case 'car':
      return { kind: 'car', car: carOptions(query, accepted) }
    case 'dag-json':
    case 'dag-cbor':
    case 'json':
    case 'cbor':
      return { kind: 'codec', name }
    case 'tar':
      throw new HttpError(400, 'format=tar is not supported by this gateway; use format=car')
    default:
      throw new HttpError(400, `unknown format '${name}'; use raw, car or ipns-record`)
  }
}

export function negotiate(query: URLSearchParams, accept: string | undefined): Negotiated {
  const name = query.get('format')
  if (name !== null) {
    const accepted = accept === undefined ? undefined : parseAccept(accept).find((r) => MEDIA_TYPES[r.type] === name)
    return { format: toFormat(name, query, accepted), viaAccept: false, name }
  }
  if (accept !== undefined) {
    const ranked = parseAccept(accept)
      .map((range, index) => ({ range, index }))
      .filter(({ range }) => MEDIA_TYPES[range.type] !== undefined)
      .sort((a, b) => b.range.q - a.range.q || a.index - b.index)
    const best = ranked[0]?.range
    // A browser's `*/*` or `text/html` asks for the content itself.
    if (best !== undefined) {
      const formatName = MEDIA_TYPES[best.type]!
      return { format: toFormat(formatName, query, best), viaAccept: true, name: formatName }
    }
  }
  return { format: { kind: 'deserialized' }, viaAccept: false, name: undefined }
}
