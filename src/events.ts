/**
 * Progress events, one union per operation. Stages emit them through `onProgress`;
 * only the CLI displays them. Names are namespaced `<stage>:<what>`.
 */

export interface ProgressEvent<T extends string = string, D = unknown> {
  type: T
  detail: D
}

/**
 * What the render cache gave a build: posts (their Markdown) and HTML pages taken from it
 * or rendered, entries that failed their checksum (rendered again), entries of the last
 * build not used (swept), and what it keeps for the next build.
 */
export interface RenderCacheReport {
  /** The cache folder. */
  dir: string
  posts: { cached: number; rendered: number }
  pages: { cached: number; rendered: number }
  /** Entries that could not be read back whole (disk damage, a file cut short): rendered again. */
  corrupt: number
  /** Entries the last build left that this one did not use: removed. */
  swept: number
  /** Entries kept for the next build, and their bytes on disk (segments and manifest). */
  entries: number
  bytes: number
  /** Why the cache on disk was set aside whole: another renderer version, a damaged manifest. */
  ignored?: string
  /** Why this build's work could not be kept (the build itself succeeded). */
  error?: string
}

/** `build:cache` once the render cache is saved, when the build uses one. */
export type BuildProgressEvents =
  | ProgressEvent<'build:load', { posts: number; assets: number }>
  | ProgressEvent<'build:warning', { file: string; line?: number; message: string }>
  | ProgressEvent<'build:page', { path: string; done: number; total: number }>
  | ProgressEvent<'build:command', { command: string }>
  | ProgressEvent<'build:write', { dir: string; files: number; bytes: number }>
  | ProgressEvent<'build:cache', RenderCacheReport>

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

/**
 * IPNS over delegated routing; `router` is an endpoint's base URL. `name:ipns:fetched` for
 * what each router held before the publish (and for a local record that does not verify),
 * `name:ipns:put` once a router took the new record, `name:ipns:checked` once it served it
 * back, `name:ipns:retry` before another attempt at a request that failed.
 */
export type IpnsRoutingProgressEvents =
  | ProgressEvent<
      'name:ipns:fetched',
      { name: string; source: string; state: 'none' | 'valid' | 'expired' | 'invalid'; sequence?: string; value?: string; reason?: string }
    >
  | ProgressEvent<'name:ipns:put', { name: string; router: string; sequence: string }>
  | ProgressEvent<'name:ipns:checked', { name: string; router: string; sequence: string; value: string }>
  | ProgressEvent<'name:ipns:retry', { name: string; router: string; attempt: number; delayMs: number; reason: string }>

/** `key` is the keystore name of the signing key, `name` the IPNS name (base36 libp2p-key CID). */
export type NameProgressEvents =
  | ProgressEvent<'name:ipns:key-created', { key: string; name: string }>
  | ProgressEvent<'name:ipns:published', { key: string; name: string; value: string; sequence: string; validity: string }>
  | ProgressEvent<'name:ipns:resolved', { name: string; value: string; sequence: string }>
  | IpnsRoutingProgressEvents
  | DnslinkProgressEvents

/**
 * `domain` is the DNSLink domain, `provider` `rfc2136` / `cloudflare` / `dnsimple`, `record`
 * a whole `dnslink=` TXT string. `waiting` each time an authoritative server does not yet
 * answer the new value; `verified` once all do. Never carries a secret.
 */
export type DnslinkProgressEvents =
  | ProgressEvent<'name:dnslink:current', { domain: string; provider: string; records: string[] }>
  | ProgressEvent<'name:dnslink:unchanged', { domain: string; provider: string; value: string }>
  | ProgressEvent<'name:dnslink:updated', { domain: string; provider: string; value: string; previous?: string; removed: string[] }>
  | ProgressEvent<'name:dnslink:retry', { domain: string; provider: string; attempt: number; delayMs: number; reason: string }>
  | ProgressEvent<'name:dnslink:waiting', { domain: string; server: string; attempt: number; delayMs: number; answer: string }>
  | ProgressEvent<'name:dnslink:verified', { domain: string; servers: string[]; cacheTtlSeconds?: number }>

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

/** The stages of `deploy`, each announced as it begins. */
export type DeployStage = 'node' | 'build' | 'pack' | 'car' | 'previous' | 'pin' | 'verify' | 'name' | 'record'

/**
 * `deploy:stage` when a stage begins; `deploy:warning` for what the user should know but
 * does not stop the run (a verification through the local gateway only); `deploy:name`
 * once per name published (or failed); `deploy:done` at the end, ok or not.
 */
export type DeployProgressEvents =
  | ProgressEvent<'deploy:stage', { stage: DeployStage }>
  | ProgressEvent<'deploy:built', { files: number; pages: number; posts: number; bytes: number }>
  | ProgressEvent<'deploy:packed', { cid: string; source: 'build' | 'car'; files: number; bytes: number; blocks: number }>
  | ProgressEvent<'deploy:incremental', { previous: string | undefined; newBlocks: number; newBytes: number; reusedBytes: number }>
  | ProgressEvent<'deploy:warning', { message: string }>
  | ProgressEvent<'deploy:name', { kind: string; name: string; status: 'updated' | 'unchanged' | 'failed'; value: string; previous?: string; error?: string }>
  | ProgressEvent<'deploy:done', { cid: string; ok: boolean; stage?: DeployStage; error?: string }>

export type AnyProgressEvent =
  | BuildProgressEvents
  | PackProgressEvents
  | VerifyProgressEvents
  | NodeProgressEvents
  | GatewayProgressEvents
  | NameProgressEvents
  | LocalProgressEvents
  | DeployProgressEvents

/** Every long operation takes these. */
export interface AbortOptions {
  signal?: AbortSignal
}

export interface ProgressOptions<E extends ProgressEvent = ProgressEvent> {
  onProgress?: (event: E) => void
}

/**
 * `ipfs-publish pin-server` (our Pinning Service API endpoint). `pin-server:status` on every
 * status change of a pin request (`queued` when it is created); `pin-server:resumed` when a
 * start queues again the requests a stop or crash left unfinished;
 * `pin-server:origin` for each origin dialled; `pin-server:removed` when a pin is deleted
 * or replaced; `pin-server:error` when the server itself failed a request (a 500).
 */
export type PinServerProgressEvents =
  | ProgressEvent<'pin-server:listening', { url: string; peerId: string; addresses: string[] }>
  | ProgressEvent<'pin-server:resumed', { pins: number }>
  | ProgressEvent<
      'pin-server:status',
      { requestid: string; cid: string; name?: string; status: 'queued' | 'pinning' | 'pinned' | 'failed'; details?: string }
    >
  | ProgressEvent<'pin-server:origin', { requestid: string; address: string; ok: boolean; message?: string }>
  | ProgressEvent<'pin-server:removed', { requestid: string; cid: string; reason: 'deleted' | 'replaced' }>
  | ProgressEvent<'pin-server:error', { method: string; path: string; message: string }>

/**
 * Reporting a deploy to GitHub Actions: one event per thing written or posted;
 * `github:retry` before another attempt at an API request; `github:warning` for each
 * part that could not be reported (never fatal to the deploy).
 */
export type GitHubProgressEvents =
  | ProgressEvent<'github:summary', { file: string; bytes: number }>
  | ProgressEvent<'github:outputs', { file: string; names: string[] }>
  | ProgressEvent<'github:status', { sha: string; context: string; state: 'success' | 'failure' }>
  | ProgressEvent<'github:comment', { pullRequest: number; id: number; action: 'created' | 'updated' }>
  | ProgressEvent<'github:retry', { url: string; attempt: number; delayMs: number; reason: string }>
  | ProgressEvent<'github:warning', { step: string; message: string }>
