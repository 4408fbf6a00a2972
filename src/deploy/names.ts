/**
 * The names around a deploy: what each points at before (the live site, which no target
 * may replace, and the "old" side of the summary), and moving them all once the safety
 * rule allows. One name failing never stops the others: each is reported on its own.
 */
import { CID } from 'multiformats/cid'
import type { AbortOptions } from '../events.ts'
import type { NameKind, NamePublisher } from '../name/index.ts'
import type { DeployAllProgressEvents, DeployNameResult } from './types.ts'

export interface NameState {
  publisher: NamePublisher
  kind: NameKind
  previous: string | undefined
  /** Why `current()` failed: the live CID is then unknown. */
  error?: string
}

function kindOf(publisher: NamePublisher): NameKind {
  return publisher.kind ?? (publisher.name.startsWith('dnslink') ? 'dnslink' : 'ipns')
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export async function readNames(publishers: readonly NamePublisher[], options: AbortOptions): Promise<NameState[]> {
  return Promise.all(
    publishers.map(async (publisher): Promise<NameState> => {
      const kind = kindOf(publisher)
      try {
        return { publisher, kind, previous: await publisher.current?.(options) }
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        return { publisher, kind, previous: undefined, error: message(err) }
      }
    }),
  )
}

/** `/ipfs/<cid>` → the CID; `/ipns/...` and anything else → undefined. */
export function ipfsPathCid(value: string | undefined): CID | undefined {
  const match = value === undefined ? null : /^\/ipfs\/([^/]+)\/?$/.exec(value)
  if (match?.[1] === undefined) return undefined
  try {
    return CID.parse(match[1])
  } catch {
    return undefined
  }
}

/**
 * The CIDs the names point at now. Undefined when any name could not be read: the targets
 * then treat every pinned version as possibly live, which never unpins the live site.
 * Without `current()` (a publisher that cannot say), the same caution applies.
 */
export function liveCids(states: readonly NameState[]): string[] | undefined {
  if (states.some((s) => s.error !== undefined || s.publisher.current === undefined)) return undefined
  return [...new Set(states.flatMap((s) => ipfsPathCid(s.previous)?.toV1().toString() ?? []))]
}

export function namesAs(states: readonly NameState[], cid: CID, status: 'skipped' | 'planned'): DeployNameResult[] {
  const value = `/ipfs/${cid.toV1()}`
  return states.map((s) => ({ kind: s.kind, name: s.publisher.name, ...(s.previous === undefined ? {} : { previous: s.previous }), value, status }))
}

export async function publishNames(
  states: readonly NameState[],
  cid: CID,
  options: AbortOptions & { onProgress?: (event: DeployAllProgressEvents) => void },
): Promise<DeployNameResult[]> {
  const emit = options.onProgress ?? (() => {})
  const value = `/ipfs/${cid.toV1()}`
  return Promise.all(
    states.map(async ({ publisher, kind, previous }): Promise<DeployNameResult> => {
      const was = previous === undefined ? {} : { previous }
      try {
        const result = await publisher.publish(cid, { signal: options.signal, onProgress: emit })
        const before = result.previous ?? previous
        const status = result.status ?? (before === result.value ? 'unchanged' : 'updated')
        const done = { kind, name: result.name, ...(before === undefined ? {} : { previous: before }), value: result.value, status }
        emit({ type: 'deploy:name', detail: done })
        return done
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        const failed = { kind, name: publisher.name, ...was, value, status: 'failed' as const, error: message(err) }
        emit({ type: 'deploy:name', detail: failed })
        return failed
      }
    }),
  )
}
