/**
 * The `storacha` pin target: uploads the CAR we built to a w3up upload service with
 * `@web3-storage/w3up-client`, authorised as w3cli is in CI (an agent key and a base64
 * delegation proof from a space to that agent). Given the previous deploy's root, it sends
 * only the blocks that deploy's upload lacks (storacha-incremental.ts), and falls back to
 * the whole CAR, saying why in a `pin:full` event, when it cannot build on it.
 *
 * Storacha's hosted service stopped accepting writes in 2026. This target is for
 * self-hosted w3up upload services: set `serviceUrl` and `serviceDid` to yours. Without
 * them it talks to the hosted endpoint, where uploads fail.
 *
 * A w3up upload has no name or metadata: one space holds one site, so `list` returns every
 * upload in the space whatever `site` says, and none when a `kind` is asked for (no upload
 * can be shown to be a production or a preview one, and `prune` must not guess).
 * `unpin` removes the upload; its shards stay in the space, where another upload of the
 * same content may use them.
 */
import { randomUUID } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { AbortError, PinError, PinTimeoutError } from '../errors.ts'
import type { AbortOptions } from '../events.ts'
import type { BlockReader } from '../pack/walk.ts'
import { parseAgentKey, parseProof, LIST_ABILITIES, REMOVE_ABILITIES, requireAbilities, UPLOAD_ABILITIES, type AgentSigner, type ParsedProof } from './storacha-auth.ts'
import { failureFor, type FailureContext } from './storacha-errors.ts'
import { normalizeStorachaInit, type StorachaInit } from './storacha-options.ts'
import { openSession, type Session } from './storacha-session.ts'
import { uploadIncremental } from './storacha-incremental.ts'
import { findUpload, type UploadedDag, uploadDag } from './storacha-upload.ts'
import type { PinKind, PinOptions, PinProgressEvents, Pinner, PinRequest, PinResult, RemotePin } from './types.ts'

export type { StorachaInit } from './storacha-options.ts'

export interface StorachaComponents {
  /** Where the DAG's blocks are read from: the store `pack` wrote them to. Only `pin` needs it. */
  blockstore?: BlockReader
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /**
   * Where each upload's index is kept as its record (`<store>/storacha`), so the next deploy
   * sends only what that upload lacks even when it was itself incremental. Without it, only
   * a previous upload made whole can be built on (see storacha-layout.ts).
   */
  recordDir?: string
}

interface Credentials {
  agent: AgentSigner
  proof: ParsedProof
}

export function createStorachaPinner(components: StorachaComponents, init: StorachaInit): Pinner {
  const opts = normalizeStorachaInit(init)
  const { name } = opts
  const ctx: FailureContext = {
    target: name,
    serviceUrl: opts.service.url.href,
    serviceDid: opts.service.did,
    hosted: opts.hosted,
    space: undefined,
    labels: opts.labels,
    secrets: [init.agentKey, init.proof],
  }
  // Parsed on first use, so a bad secret fails the operation (a `failed` result for pin)
  // rather than the whole run at construction, where an optional target could not be skipped.
  let parsed: Promise<Credentials> | undefined
  const credentials = (): Promise<Credentials> => {
    parsed ??= (async () => {
      const agent = parseAgentKey(name, init.agentKey, opts.labels)
      const proof = await parseProof(name, init.proof, agent, opts.labels)
      ctx.space = proof.space
      return { agent, proof }
    })()
    return parsed
  }

  /** Runs `work` with a session bounded by the target's timeout; errors come out as PinErrors in words. */
  async function operation<T>(
    abilities: readonly string[],
    options: AbortOptions & { onRetry?: (reason: string, attempt: number, delayMs: number) => void },
    work: (session: Session, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(opts.timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    try {
      const { agent, proof } = await credentials()
      requireAbilities(name, proof, abilities, agent.did(), opts.labels)
      const session = await openSession(agent, proof, opts.service, {
        fetch: components.fetch ?? globalThis.fetch,
        signal,
        onRetry: (info) => options.onRetry?.(info.reason, info.attempt, info.delayMs),
      })
      return await work(session, signal)
    } catch (err) {
      if (options.signal?.aborted === true) throw new AbortError(`${name}: cancelled`, { cause: options.signal.reason })
      if (timeout.aborted) {
        throw new PinTimeoutError(name, `${opts.service.url.href} did not finish within ${opts.timeoutMs / 1000} s: try again, or raise the target's timeout`, { cause: err })
      }
      throw failureFor(err, ctx)
    }
  }

  async function pin(request: PinRequest, options: PinOptions = {}): Promise<PinResult> {
    const started = performance.now()
    const cid = request.cid.toString()
    const emit = (event: PinProgressEvents) => options.onProgress?.(event)
    const elapsed = () => Math.round(performance.now() - started)
    emit({ type: 'pin:start', detail: { target: name, cid } })
    let result: PinResult
    try {
      const onRetry = (reason: string, attempt: number, delayMs: number) =>
        emit({ type: 'pin:retry', detail: { target: name, attempt, delayMs, reason } })
      result = await operation(UPLOAD_ABILITIES, { signal: options.signal, onRetry }, async (session, signal) => {
        const held = await findUpload(session, request.cid, signal)
        if (held !== undefined) {
          checkRoot(held.root, cid)
          emit({ type: 'pin:existing', detail: { target: name, cid, requestid: cid } })
          return { target: name, status: 'pinned', requestid: cid, existing: true, uploadedBytes: 0, timeMs: elapsed() }
        }
        const { blockstore } = components
        if (blockstore === undefined) throw new PinError(name, `no block store to read ${cid} from: pass the one the site was packed into`)
        emit({ type: 'pin:status', detail: { target: name, cid, status: 'pinning' } })
        // `totalBytes` is the shards cut so far: their size is only known once the walk ends.
        let carBytes = 0
        const onShard = (shard: { size: number }) => {
          carBytes += shard.size
          emit({ type: 'pin:upload', detail: { target: name, bytes: session.uploadedBytes, totalBytes: carBytes } })
        }
        const common = { blockstore, shardSize: opts.shardSize, signal, recordDir: components.recordDir, onShard }
        let uploaded: UploadedDag | string | undefined
        const { previous } = request
        if (previous !== undefined) {
          uploaded = await uploadIncremental(session, request.cid, previous, {
            ...common,
            onPlan: ({ fresh, reused, newBytes, reusedBytes }) => {
              const detail = { target: name, cid, previous: previous.toString(), newBlocks: fresh.length, newBytes, reusedBlocks: reused.length, reusedBytes }
              emit({ type: 'pin:incremental', detail })
            },
          })
          if (typeof uploaded === 'string') emit({ type: 'pin:full', detail: { target: name, cid, previous: previous.toString(), reason: uploaded } })
        }
        if (uploaded === undefined || typeof uploaded === 'string') {
          // A fresh nonce: the service answers a byte-identical invocation from its receipt cache.
          uploaded = await uploadDag(session, request.cid, { ...common, nonce: randomUUID() })
        }
        checkRoot(uploaded.root, cid)
        const registered = await findUpload(session, request.cid, signal)
        if (registered === undefined) throw new PinError(name, `the service lists no upload for ${cid} right after registering it`)
        checkRoot(registered.root, cid)
        return { target: name, status: 'pinned', requestid: cid, uploadedBytes: session.uploadedBytes, timeMs: elapsed() }
      })
      emit({ type: 'pin:status', detail: { target: name, cid, status: 'pinned', requestid: cid } })
    } catch (err) {
      if (err instanceof AbortError) throw err
      const error = err as PinError
      result = { target: name, status: 'failed', error: reasonOf(error), code: error.code, timeMs: elapsed() }
    }
    emit({ type: 'pin:done', detail: { target: name, cid, status: result.status, timeMs: result.timeMs, ...(result.error ? { error: result.error } : {}) } })
    return result
  }

  function checkRoot(theirs: string, ours: string): void {
    if (theirs !== ours) throw new PinError(name, `the service registered the upload under root ${theirs}, not our ${ours}: the upload is not this site`)
  }

  /** A PinError's message without the `target: ` prefix, which the result's `target` already says. */
  function reasonOf(error: PinError): string {
    return error.message.startsWith(`${name}: `) ? error.message.slice(name.length + 2) : error.message
  }

  async function list(filter: { site: string; kind?: PinKind }, options: AbortOptions = {}): Promise<RemotePin[]> {
    if (filter.kind !== undefined) return []
    const pins = await operation(LIST_ABILITIES, options, async (session, signal) => {
      const out: RemotePin[] = []
      let cursor: string | undefined
      do {
        const page = await session.client.capability.upload.list({
          ...(cursor === undefined ? {} : { cursor }),
          size: opts.listPageSize,
          signal,
          retries: 0,
          nonce: randomUUID(),
        })
        for (const upload of page.results) {
          const root = upload.root.toString()
          out.push({ requestid: root, cid: root, name: undefined, status: 'pinned', meta: {}, created: new Date(upload.insertedAt) })
        }
        cursor = page.results.length > 0 && page.cursor !== undefined && page.cursor !== cursor ? page.cursor : undefined
      } while (cursor !== undefined)
      return out
    })
    return pins.sort((a, b) => b.created.getTime() - a.created.getTime())
  }

  async function unpin(requestid: string, options: AbortOptions = {}): Promise<void> {
    let root: CID
    try {
      root = CID.parse(requestid)
    } catch (err) {
      throw new PinError(name, `'${requestid}' is not an upload's root CID`, { cause: err })
    }
    await operation(REMOVE_ABILITIES, options, async (session, signal) => {
      try {
        await session.client.capability.upload.remove(root, { signal, retries: 0, nonce: randomUUID() })
      } catch (err) {
        if ((err as { cause?: { name?: string } }).cause?.name === 'UploadNotFound') {
          throw new PinError(name, `${ctx.space} has no upload with root ${requestid}`, { cause: err })
        }
        throw err
      }
    })
  }

  return { name, required: opts.required, pin, list, unpin }
}
