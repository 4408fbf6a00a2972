/** The messages between the Markdown pool and its worker threads. */
import type { RefTable } from '../refs.ts'
import type { MarkdownOptions, MarkdownResult } from '../types.ts'

/** One post's Markdown to render. */
export interface MarkdownJob {
  /** The source file, for diagnostics: `posts/hello.md`. */
  file: string
  body: string
  lineOffset: number
}

/** `workerData`: the renderer's options, and where the worker says which post of a batch it is on. */
export interface WorkerInit {
  markdown: MarkdownOptions
  /** An Int32Array's buffer: [0] is the index in its current batch of the post being rendered. */
  progress: SharedArrayBuffer
}

export type PoolRequest =
  /** The posts that Hugo refs can name; sent before the first batch. */
  | { refs: RefTable; batch?: undefined }
  | { batch: number; jobs: MarkdownJob[] }

export type PoolReply =
  | { batch: number; results: MarkdownResult[]; failed?: undefined }
  /** Rendering threw (a bug, not a problem in the post): which post, and the error. */
  | { batch: number; results?: undefined; failed: { file: string; error: unknown } }
