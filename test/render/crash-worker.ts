/** A Markdown pool worker that dies on the second post of its first batch (for the pool's crash test). */
import { parentPort, workerData } from 'node:worker_threads'
import type { PoolRequest, WorkerInit } from '../../src/render/markdown/pool-protocol.ts'

const progress = new Int32Array((workerData as WorkerInit).progress)
parentPort?.on('message', (request: PoolRequest) => {
  if (request.batch === undefined) return
  Atomics.store(progress, 0, 1)
  throw new Error('simulated crash')
})
