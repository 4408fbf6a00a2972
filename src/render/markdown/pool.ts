/**
 * Renders posts' Markdown on worker threads, each post on its own (the Markdown stage is
 * pure per document), and hands the results back in the posts' order. The calling thread
 * renders a batch itself whenever the next result it needs is not back yet, so it never
 * sits idle while there is work left.
 */
import { availableParallelism } from 'node:os'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { MARKDOWN_BATCH_POSTS, RENDER_WORKER_YOUNG_GENERATION_MB, RENDER_WORKERS_MAX } from '../../constants.ts'
import { RenderError } from '../../errors.ts'
import type { AbortOptions } from '../../events.ts'
import { type RefTable, refResolver } from '../refs.ts'
import type { MarkdownOptions, MarkdownRenderer, MarkdownResult } from '../types.ts'
import type { MarkdownJob, PoolReply, PoolRequest, WorkerInit } from './pool-protocol.ts'
import { createMarkdownRenderer } from './renderer.ts'

/** Batches a worker holds at once: one being rendered and one waiting, so it never idles on a round trip. */
const BATCHES_PER_WORKER = 2

// Run from the sources (type stripping) or from compiled JavaScript, whichever this file is.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './pool-worker.ts' : './pool-worker.js', import.meta.url)

export interface MarkdownPoolOptions {
  markdown: MarkdownOptions
  /** Worker threads to start; the calling thread renders too. */
  workers: number
  /** The worker script (a test swaps in one that crashes). @default pool-worker.ts */
  workerUrl?: URL | undefined
}

export interface MarkdownPool {
  /** Renders `jobs` and yields their results in the order of `jobs`. One call at a time. */
  render(jobs: readonly MarkdownJob[], refs: RefTable, options?: AbortOptions): AsyncGenerator<MarkdownResult>
  /** Stops the worker threads. */
  close(): Promise<void>
}

/** One worker per core besides the calling thread (which renders too), at most `RENDER_WORKERS_MAX`. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(RENDER_WORKERS_MAX, availableParallelism() - 1))
}

interface PoolWorker {
  worker: Worker
  /** Batches sent and not answered, oldest first: the worker renders them in that order. */
  batches: Set<number>
  progress: Int32Array
  error: unknown
  exited: boolean
}

interface RunHandlers {
  reply(pw: PoolWorker, reply: PoolReply): void
  crash(pw: PoolWorker, error: unknown): void
}

export function createMarkdownPool(options: MarkdownPoolOptions): MarkdownPool {
  let run: RunHandlers | undefined
  let closing = false
  const workers: PoolWorker[] = []
  for (let i = 0; i < options.workers; i++) {
    const progress = new SharedArrayBuffer(4)
    const worker = new Worker(options.workerUrl ?? WORKER_URL, {
      workerData: { markdown: options.markdown, progress } satisfies WorkerInit,
      // Rendering makes much short-lived garbage and keeps little: a small young generation
      // is collected often and cheaply instead of growing the process's memory.
      resourceLimits: { maxYoungGenerationSizeMb: RENDER_WORKER_YOUNG_GENERATION_MB },
    })
    const pw: PoolWorker = { worker, batches: new Set(), progress: new Int32Array(progress), error: undefined, exited: false }
    // Listening from the start: an error with no listener would take the whole process down.
    worker.on('message', (reply: PoolReply) => run?.reply(pw, reply))
    worker.on('error', (error) => {
      pw.error ??= error
      run?.crash(pw, error)
    })
    worker.on('exit', (code) => {
      pw.exited = true
      if (!closing) run?.crash(pw, pw.error ?? new Error(`the worker thread exited with code ${code}`))
    })
    workers.push(pw)
  }

  let here: { renderer: MarkdownRenderer; resolveRef: (ref: string) => string | undefined } | undefined
  const renderHere = (jobs: readonly MarkdownJob[], refs: RefTable): MarkdownResult[] => {
    here ??= { renderer: createMarkdownRenderer(options.markdown), resolveRef: refResolver(refs) }
    const { renderer, resolveRef } = here
    return jobs.map((job) => {
      try {
        return renderer.render(job.body, { file: job.file, lineOffset: job.lineOffset, resolveRef })
      } catch (error) {
        throw renderFailure(job.file, error)
      }
    })
  }

  const close = async (): Promise<void> => {
    closing = true
    await Promise.all(workers.map((pw) => pw.worker.terminate()))
  }

  async function* render(jobs: readonly MarkdownJob[], refs: RefTable, { signal }: AbortOptions = {}): AsyncGenerator<MarkdownResult> {
    const batches: MarkdownJob[][] = []
    for (let i = 0; i < jobs.length; i += MARKDOWN_BATCH_POSTS) batches.push(jobs.slice(i, i + MARKDOWN_BATCH_POSTS))
    const results: (MarkdownResult[] | undefined)[] = []
    let sent = 0
    let failure: unknown
    let wake: (() => void) | undefined
    const notify = () => {
      const resolve = wake
      wake = undefined
      resolve?.()
    }
    const fail = (error: unknown) => {
      failure ??= error
      notify()
    }
    let next = 0
    // Results wait here until the caller takes them in order: bound how far ahead the workers go.
    const window = Math.max(1, workers.length) * BATCHES_PER_WORKER * 2
    const dispatch = (pw: PoolWorker) => {
      while (!pw.exited && failure === undefined && pw.batches.size < BATCHES_PER_WORKER && sent < batches.length && sent - next < window) {
        const batch = sent++
        pw.batches.add(batch)
        pw.worker.postMessage({ batch, jobs: batches[batch]! } satisfies PoolRequest)
      }
    }
    run = {
      reply(pw, reply) {
        pw.batches.delete(reply.batch)
        if (reply.failed !== undefined) return fail(renderFailure(reply.failed.file, reply.failed.error))
        results[reply.batch] = reply.results
        dispatch(pw)
        notify()
      },
      crash(pw, error) {
        const batch = [...pw.batches][0]
        pw.exited = true
        // A worker that dies idle loses nothing: the others and this thread do its share.
        if (batch !== undefined) fail(crashFailure(batches[batch]!, Atomics.load(pw.progress, 0), error))
      },
    }
    const onAbort = () => fail(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      signal?.throwIfAborted()
      for (const pw of workers) {
        pw.worker.postMessage({ refs } satisfies PoolRequest)
        dispatch(pw)
      }
      while (next < batches.length) {
        if (failure !== undefined) throw failure
        const ready = results[next]
        if (ready !== undefined) {
          results[next++] = undefined
          for (const pw of workers) dispatch(pw)
          yield* ready
          // Replies are events: let them in between batches so that no worker waits for work.
          await nextTurn()
        } else if (sent < batches.length) {
          const batch = sent++
          results[batch] = renderHere(batches[batch]!, refs)
          await nextTurn()
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve
          })
        }
      }
    } finally {
      run = undefined
      signal?.removeEventListener('abort', onAbort)
      // Aborted or failed: stop the workers rather than let them finish work nobody reads.
      if (failure !== undefined) await close()
    }
  }

  return { render, close }
}

function renderFailure(file: string, error: unknown): RenderError {
  return new RenderError([{ file, message: `markdown: rendering failed (a bug in the renderer, not in the post): ${String(error)}` }], {
    cause: error,
  })
}

function crashFailure(batch: readonly MarkdownJob[], at: number, error: unknown): RenderError {
  const file = batch[at]?.file ?? batch[0]?.file ?? 'posts'
  return new RenderError([{ file, message: `markdown: a render worker thread crashed while rendering this post: ${String(error)}` }], {
    cause: error,
  })
}
