/**
 * A Markdown worker thread: one renderer, set up once from `workerData`, renders each
 * batch of posts it is sent and posts the results back in the batch's order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { refResolver } from '../refs.ts'
import type { MarkdownResult } from '../types.ts'
import type { PoolReply, PoolRequest, WorkerInit } from './pool-protocol.ts'
import { createMarkdownRenderer } from './renderer.ts'

const init = workerData as WorkerInit
const progress = new Int32Array(init.progress)
// Set up while the main thread is still reading the posts' front matter.
const renderer = createMarkdownRenderer(init.markdown)
let resolveRef: (ref: string) => string | undefined = () => undefined
const port = parentPort
if (port === null) throw new Error('pool-worker.ts runs as a worker thread only')

port.on('message', (request: PoolRequest) => {
  if (request.batch === undefined) {
    resolveRef = refResolver(request.refs)
    return
  }
  const { batch, jobs } = request
  const results: MarkdownResult[] = []
  for (const [i, job] of jobs.entries()) {
    // If this thread dies, the pool reads which post it was on.
    Atomics.store(progress, 0, i)
    try {
      results.push(renderer.render(job.body, { file: job.file, lineOffset: job.lineOffset, resolveRef }))
    } catch (error) {
      port.postMessage({ batch, failed: { file: job.file, error } } satisfies PoolReply)
      return
    }
  }
  port.postMessage({ batch, results } satisfies PoolReply)
})
