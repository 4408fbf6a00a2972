/**
 * The `local` target: the embedded node. Pins only from blocks already in the store
 * (`offline`), so it never waits on the network and never takes blocks from a peer it
 * happens to be connected to. The node keeps one pin record per CID, so earlier versions
 * simply stay pinned until `prune` (or `start`) removes them.
 */
import { CID } from 'multiformats/cid'
import { AbortError, PinNotFoundError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import type { EmbeddedNode, LocalPin, PinMetadata } from '../node/index.ts'
import type { Pinner, PinKind, PinOptions, PinRequest, PinResult, RemotePin } from './types.ts'

export interface LocalPinnerComponents {
  node: Pick<EmbeddedNode, 'pin' | 'unpin' | 'getPin' | 'listPins'>
  /** @default Date.now */
  now?: () => number
}

export interface LocalPinnerInit {
  /** @default 'local' */
  name?: string
  /** @default true */
  required?: boolean
}

export function createLocalPinner(components: LocalPinnerComponents, init: LocalPinnerInit = {}): Pinner {
  return new LocalPinner(components, init)
}

/** `start` pins without `kind`: those are production deploys. */
function kindOf(pin: LocalPin): PinKind {
  return pin.metadata.kind === 'preview' ? 'preview' : 'production'
}

function metadataOf(request: PinRequest): PinMetadata {
  const { site, kind, branch, commit, preview } = request.meta
  return { site, kind, ...(branch === undefined ? {} : { branch }), ...(commit === undefined ? {} : { commit }), ...(preview === undefined ? {} : { preview }) }
}

class LocalPinner implements Pinner {
  readonly name: string
  readonly required: boolean
  private readonly components: LocalPinnerComponents

  constructor(components: LocalPinnerComponents, init: LocalPinnerInit) {
    this.name = init.name ?? 'local'
    this.required = init.required ?? true
    this.components = components
  }

  async pin(request: PinRequest, options: PinOptions = {}): Promise<PinResult> {
    const now = this.components.now ?? Date.now
    const started = now()
    const cid = request.cid.toString()
    const { node } = this.components
    const done = (fields: Omit<PinResult, 'target' | 'timeMs'>): PinResult => ({ target: this.name, timeMs: now() - started, ...fields })
    try {
      const before = await node.getPin(request.cid, options).catch((err: unknown) => {
        if (err instanceof PinNotFoundError) return undefined
        throw err
      })
      // One record per CID: a preview of the live site's CID must not relabel its production
      // pin as a preview, or pruning old previews would unpin the live site.
      if (before !== undefined && request.meta.kind === 'preview' && kindOf(before) === 'production') {
        options.onProgress?.({ type: 'pin:existing', detail: { target: this.name, cid, requestid: cid } })
        return done({ status: 'pinned', requestid: cid, existing: true })
      }
      options.onProgress?.({ type: 'pin:status', detail: { target: this.name, cid, status: 'pinning', requestid: cid } })
      await node.pin(request.cid, { name: request.name, metadata: metadataOf(request), offline: true, ...(options.signal === undefined ? {} : { signal: options.signal }) })
      options.onProgress?.({ type: 'pin:status', detail: { target: this.name, cid, status: 'pinned', requestid: cid } })
      const existing = before !== undefined && before.name === request.name
      return done({ status: 'pinned', requestid: cid, ...(existing ? { existing } : {}) })
    } catch (err) {
      if (err instanceof AbortError || options.signal?.aborted === true) throw err
      const message = err instanceof Error ? err.message : String(err)
      const hint = message.includes('not in the local store') ? "; 'ipfs-publish pack' puts a site in the store" : ''
      return done({ status: 'failed', code: (err as { code?: string }).code ?? 'ERR_PIN', error: `${message}${hint}` })
    }
  }

  async list(filter: { site: string; kind?: PinKind }, options: AbortOptions = {}): Promise<RemotePin[]> {
    const pins = await this.components.node.listPins(options)
    return pins
      .filter((p) => p.metadata.site === filter.site && (filter.kind === undefined || kindOf(p) === filter.kind))
      .map((p) => ({
        requestid: p.cid.toString(),
        cid: p.cid.toString(),
        name: p.name,
        status: 'pinned' as const,
        meta: { ...stringMeta(p.metadata), kind: kindOf(p) } as RemotePin['meta'],
        created: new Date(p.created),
      }))
      .sort((a, b) => b.created.getTime() - a.created.getTime())
  }

  async unpin(requestid: string, options: AbortOptions = {}): Promise<void> {
    await this.components.node.unpin(CID.parse(requestid), options)
  }
}

function stringMeta(metadata: PinMetadata): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(metadata)) if (value !== undefined) out[key] = String(value)
  return out
}
