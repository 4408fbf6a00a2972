/**
 * Hands rendered files to the writer while rendering goes on, so the disk works while the
 * CPU renders. An async iterable that any number of consumers may pull from at once.
 */
import type { OutputFile } from './types.ts'

interface Waiter {
  resolve(result: IteratorResult<OutputFile>): void
  reject(error: unknown): void
}

export class FileQueue implements AsyncIterable<OutputFile> {
  #items: (OutputFile | undefined)[] = []
  /** The next file to hand out: taking from the front without `shift()`, which can copy the rest. */
  #head = 0
  readonly #waiting: Waiter[] = []
  #ended = false
  #failed: { error: unknown } | undefined

  /** Adds a file; a consumer waiting for one gets it at once. */
  readonly push = (file: OutputFile): void => {
    const waiter = this.#waiting.shift()
    if (waiter === undefined) this.#items.push(file)
    else waiter.resolve({ value: file, done: false })
  }

  /** No more files: consumers finish once the queue is empty. */
  end(): void {
    this.#ended = true
    for (const waiter of this.#waiting.splice(0)) waiter.resolve({ value: undefined, done: true })
  }

  /** Rendering failed: consumers get `error` instead of the files left. */
  fail(error: unknown): void {
    this.#failed = { error }
    this.#items = []
    this.#head = 0
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error)
  }

  [Symbol.asyncIterator](): AsyncIterator<OutputFile> {
    return {
      next: () => {
        if (this.#failed !== undefined) return Promise.reject(this.#failed.error)
        const file = this.#items[this.#head]
        if (file !== undefined) {
          // Drop the queue's reference as soon as the file is handed out.
          this.#items[this.#head++] = undefined
          if (this.#head === this.#items.length) {
            this.#items = []
            this.#head = 0
          }
          return Promise.resolve({ value: file, done: false })
        }
        if (this.#ended) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }))
      },
    }
  }
}
