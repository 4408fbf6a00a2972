/**
 * The pin stage's contracts: one `Pinner` per target (the embedded node, a Pinning
 * Service API endpoint, a w3up upload service), all driven the same way by `pin` and
 * `deploy`. A pinner never moves a name and never deletes the live site's pin: it only
 * reports whether the target now keeps the DAG.
 */
import type { CID } from 'multiformats/cid'
import type { AbortOptions, ProgressOptions, ProgressEvent } from '../events.ts'

/** A production pin replaces the site's previous production pin; previews are separate pins. */
export type PinKind = 'production' | 'preview'

/** What a pin is for, stored with it at the target (Pinning Service API `meta`). */
export interface PinMeta {
  site: string
  kind: PinKind
  branch?: string
  commit?: string
  /** The preview's name (`--preview NAME`), for previews. */
  preview?: string
}

export interface PinRequest {
  cid: CID
  /** The pin's name at the target: the site for production, `<site>@<preview>` for a preview. */
  name: string
  meta: PinMeta
  /** Multiaddrs (with `/p2p/<PeerID>`) where the target can fetch the blocks: the embedded node. */
  origins: string[]
  /** When a preview pin may be dropped, where the target supports expiry; otherwise `prune` does it. */
  expiresAt?: Date
  /**
   * CIDs the site's names point at now (the live site). A target never replaces or removes a
   * pin of these. When not given, every `pinned` pin of the same name is treated as possibly
   * live, so only failed or unfinished ones are replaced (see pinning-service-replace.ts).
   */
  live?: string[]
  /**
   * The root of the site's previous production deploy, when known (from the names or the
   * deploy record). Targets that take uploads may send only the blocks it lacks; the others
   * ignore it. A wrong or unknown one only costs bytes: such a target then sends everything.
   */
  previous?: CID
}

export type PinStatus = 'queued' | 'pinning' | 'pinned' | 'failed'

export interface PinResult {
  /** The target's configured name. */
  target: string
  status: 'pinned' | 'failed'
  /** The target's id for the pin (Pinning Service API `requestid`, or the upload's root). */
  requestid?: string
  /** Why it failed, in words that say what to do. Never contains a secret. */
  error?: string
  /** The failure's `code` (`ERR_PIN_UNAUTHORIZED`, ...), for scripts. */
  code?: string
  timeMs: number
  /** The earlier pin this one replaced (production), whose blocks were kept by the replace. */
  replaced?: string
  /** True when the target already held this exact pin (a re-run): nothing was added. */
  existing?: boolean
  /** Bytes sent to the target (uploading targets); 0 when the target fetched the blocks itself. */
  uploadedBytes?: number
}

/** A pin as a target lists it, for re-runs and `prune`. */
export interface RemotePin {
  requestid: string
  cid: string
  name: string | undefined
  status: PinStatus
  meta: Partial<PinMeta> & Record<string, string>
  created: Date
}

export type PinProgressEvents =
  | ProgressEvent<'pin:start', { target: string; cid: string }>
  | ProgressEvent<'pin:status', { target: string; cid: string; status: PinStatus; requestid?: string }>
  | ProgressEvent<'pin:upload', { target: string; bytes: number; totalBytes: number }>
  /**
   * An uploading target builds on `previous`: it sends the blocks the previous upload lacks
   * and points at the ones it already holds (counts and bytes of blocks, before CAR framing).
   */
  | ProgressEvent<'pin:incremental', { target: string; cid: string; previous: string; newBlocks: number; newBytes: number; reusedBlocks: number; reusedBytes: number }>
  /** `previous` was given, but this target cannot build on it (`reason`): it uploads the whole DAG. */
  | ProgressEvent<'pin:full', { target: string; cid: string; previous: string; reason: string }>
  | ProgressEvent<'pin:retry', { target: string; attempt: number; delayMs: number; reason: string }>
  | ProgressEvent<'pin:done', { target: string; cid: string; status: 'pinned' | 'failed'; timeMs: number; error?: string }>
  /** A pin already at the target was found (a re-run) or an earlier one is being replaced. */
  | ProgressEvent<'pin:existing', { target: string; cid: string; requestid: string }>
  | ProgressEvent<'pin:replace', { target: string; cid: string; replaces: string; replacedCid: string }>
  /** A connection to one of the service's `delegates`, so it can fetch from us at once (best effort). */
  | ProgressEvent<'pin:delegate', { target: string; address: string; ok: boolean; error?: string }>

/** One `prune:remove` per pin removed (or, with `dryRun`, that would be). */
export type PruneProgressEvents =
  | ProgressEvent<'prune:list', { target: string; pins: number }>
  | ProgressEvent<'prune:remove', { target: string; requestid: string; cid: string; name: string | undefined; dryRun: boolean }>

export interface PinOptions extends AbortOptions, ProgressOptions<PinProgressEvents> {}

export interface Pinner {
  /** The target's name from the config, e.g. `pinata` or `local`. */
  readonly name: string
  /** A required target must reach `pinned` before any name moves. @default true */
  readonly required: boolean
  /** Pins the DAG and waits until the target reports `pinned` or `failed` (or the timeout). */
  pin(request: PinRequest, options?: PinOptions): Promise<PinResult>
  /** The pins this target holds for a site, newest first. */
  list(filter: { site: string; kind?: PinKind }, options?: AbortOptions): Promise<RemotePin[]>
  /** Removes one pin by its `requestid` (prune). */
  unpin(requestid: string, options?: AbortOptions): Promise<void>
}
