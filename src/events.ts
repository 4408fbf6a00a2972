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
  | ProgressEvent<'pack:car', { file: string; bytes: number; blocks: number }>
  | ProgressEvent<'pack:done', { cid: string; files: number; bytes: number; blocks: number }>

export type NodeProgressEvents =
  | ProgressEvent<'node:listening', { peerId: string; addresses: string[] }>
  | ProgressEvent<'node:dial', { address: string }>
  | ProgressEvent<'node:dial:failed', { address: string; message: string }>
  | ProgressEvent<'node:pin:block', { root: string; cid: string; blocks: number }>
  | ProgressEvent<'node:pin:done', { cid: string; name: string; blocks: number }>
  | ProgressEvent<'node:gc:marked', { pins: number; blocks: number }>
  | ProgressEvent<'node:gc:deleted', { cid: string; bytes: number }>

/** `gateway` is the gateway's base URL as given; one `verify:start` and one `verify:done` per gateway. */
export type VerifyProgressEvents =
  | ProgressEvent<'verify:start', { gateway: string; cid: string }>
  | ProgressEvent<'verify:fallback', { gateway: string; reason: string }>
  | ProgressEvent<'verify:retry', { gateway: string; url: string; attempt: number; delayMs: number; reason: string }>
  | ProgressEvent<'verify:progress', { gateway: string; method: 'car' | 'raw'; blocks: number; bytes: number }>
  | ProgressEvent<
      'verify:done',
      { gateway: string; ok: boolean; method: 'car' | 'raw'; blocks: number; bytes: number; timeMs: number; error?: string }
    >

/** One `gateway:request` per answered request; `gateway:error` when the gateway itself failed (a 500). */
export type GatewayProgressEvents =
  | ProgressEvent<'gateway:request', { method: string; host: string; url: string; status: number; timeMs: number }>
  | ProgressEvent<'gateway:error', { method: string; host: string; url: string; message: string }>

/** `key` is the keystore name of the signing key, `name` the IPNS name (base36 libp2p-key CID). */
export type NameProgressEvents =
  | ProgressEvent<'name:ipns:key-created', { key: string; name: string }>
  | ProgressEvent<'name:ipns:published', { key: string; name: string; value: string; sequence: string; validity: string }>
  | ProgressEvent<'name:ipns:resolved', { name: string; value: string; sequence: string }>

/** The stages of `startLocal` (`ipfs-publish start`), each announced as it begins. */
export type LocalStage = 'build' | 'pack' | 'pin' | 'gateway' | 'verify' | 'name'

/**
 * `local:stage` when a stage begins; the others when one is done and no stage event says
 * as much (pin, verify and name report through `node:pin:done`, `verify:done`, `name:ipns:*`).
 */
export type LocalProgressEvents =
  | ProgressEvent<'local:stage', { stage: LocalStage }>
  | ProgressEvent<'local:built', { files: number; pages: number; posts: number; bytes: number }>
  | ProgressEvent<'local:packed', { cid: string; files: number; bytes: number; blocks: number; newBlocks: number; newBytes: number }>
  | ProgressEvent<'local:listening', { url: string; port: number }>

export type AnyProgressEvent =
  | BuildProgressEvents
  | PackProgressEvents
  | VerifyProgressEvents
  | NodeProgressEvents
  | GatewayProgressEvents
  | NameProgressEvents
  | LocalProgressEvents

/** Every long operation takes these. */
export interface AbortOptions {
  signal?: AbortSignal
}

export interface ProgressOptions<E extends ProgressEvent = ProgressEvent> {
  onProgress?: (event: E) => void
}
