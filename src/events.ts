/**
 * Progress events, one union per operation. Stages emit them through `onProgress`;
 * only the CLI displays them. Names are namespaced `<stage>:<what>`.
 */

export interface ProgressEvent<T extends string = string, D = unknown> {
  type: T
  detail: D
}

export type BuildProgressEvents =
  | ProgressEvent<'build:load', { posts: number; assets: number }>
  | ProgressEvent<'build:warning', { file: string; line?: number; message: string }>
  | ProgressEvent<'build:page', { path: string; done: number; total: number }>
  | ProgressEvent<'build:command', { command: string }>
  | ProgressEvent<'build:write', { dir: string; files: number; bytes: number }>

export type PackProgressEvents =
  | ProgressEvent<'pack:file', { path: string; bytes: number }>
  | ProgressEvent<'pack:progress', { files: number; bytes: number; elapsedMs: number }>
  | ProgressEvent<'pack:done', { cid: string; files: number; bytes: number; blocks: number }>

export type AnyProgressEvent = BuildProgressEvents | PackProgressEvents

/** Every long operation takes these. */
export interface AbortOptions {
  signal?: AbortSignal
}

export interface ProgressOptions<E extends ProgressEvent = ProgressEvent> {
  onProgress?: (event: E) => void
}
