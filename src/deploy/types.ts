/**
 * `deploy`'s contract: what it takes (config, injected components) and what it returns
 * (every stage's outcome, enough for the CLI's summary, `--json` and the GitHub report).
 */
import type { Helia } from '@helia/interface'
import type { ResolvedConfig } from '../config/index.ts'
import type {
  AbortOptions,
  BuildProgressEvents,
  DeployProgressEvents,
  DeployStage,
  GatewayProgressEvents,
  NameProgressEvents,
  NodeProgressEvents,
  PackProgressEvents,
  ProgressOptions,
  VerifyProgressEvents,
} from '../events.ts'
import type { NameKind, NamePublisher } from '../name/index.ts'
import type { Pinner, PinKind, PinProgressEvents, TargetComponents } from '../pin/index.ts'

export type DeployAllProgressEvents =
  | DeployProgressEvents
  | BuildProgressEvents
  | PackProgressEvents
  | NodeProgressEvents
  | PinProgressEvents
  | GatewayProgressEvents
  | VerifyProgressEvents
  | NameProgressEvents

/** What a name publisher factory gets: the node's Helia, the store (for keys), secrets. */
export interface NameComponents {
  helia: Helia
  store: string
  env: Readonly<Record<string, string | undefined>>
  fetch?: typeof fetch
}

/** The part of the config a deploy reads. `gateways` are trustless gateways to verify through. */
export type DeployConfig = Pick<ResolvedConfig, 'root' | 'site' | 'build' | 'pack' | 'store' | 'node' | 'targets'> & {
  gateways?: readonly string[]
}

export interface DeployOptions extends AbortOptions, ProgressOptions<DeployAllProgressEvents> {
  config: DeployConfig
  /**
   * The pinners, or a factory given the opened node (pinning services fetch from it).
   * @default createPinners(config.targets, components)
   */
  pinners?: readonly Pinner[] | ((components: TargetComponents) => readonly Pinner[])
  /**
   * The names to move, or a factory given the opened node (IPNS records go into its store).
   * Ignored for previews, which move no name. @default [] (no name)
   */
  publishers?: readonly NamePublisher[] | ((components: NameComponents) => readonly NamePublisher[])
  /** Where the factories read secrets, by the names in the config. Never `process.env` here. @default {} */
  env?: Readonly<Record<string, string | undefined>>
  /** For pinning services, verification and name publishers. @default globalThis.fetch */
  fetch?: typeof fetch
  /** The site's name at the targets. @default the site folder's name */
  site?: string
  /** Deploy this CAR (one root, every block) instead of building and packing. */
  car?: string
  /** Pin as the preview NAME (`<site>@NAME`) and move no production name. */
  preview?: string
  /** Build and pack, then return the plan: no target asked, no name moved. @default false */
  dryRun?: boolean
  branch?: string
  commit?: string
  /** Expiry for preview pins, where the target supports it. */
  previewExpiresAt?: Date
  /** @default Date.now */
  now?: () => number
}

export interface DeployTargetResult {
  name: string
  required: boolean
  /** `planned` in a dry run; `skipped` when the run stopped before pinning. */
  status: 'pinned' | 'failed' | 'skipped' | 'planned'
  timeMs: number
  requestid?: string
  error?: string
  code?: string
  existing?: boolean
  replaced?: string
  /** Bytes sent to the target, for targets that take uploads (the pinner's own count). */
  uploadedBytes?: number
}

export interface DeployNameResult {
  kind: NameKind
  /** The IPNS name or DNSLink domain once published; the publisher's label before. */
  name: string
  previous?: string
  /** `/ipfs/<cid>`: where it points now, or would point. */
  value: string
  /** `skipped`: left alone by the safety rule; `planned` in a dry run. */
  status: 'updated' | 'unchanged' | 'failed' | 'skipped' | 'planned'
  error?: string
}

export interface DeployVerifyResult {
  ok: boolean
  /** True when no gateway was configured and only the embedded node's copy was checked. */
  localOnly: boolean
  gateways: Array<{ url: string; ok: boolean; blocks: number; bytes: number; timeMs: number; error?: string }>
}

export interface DeployUrls {
  /** The site by CID on each configured gateway. */
  gateway: string[]
  /** The local gateway's form (`ipfs-publish serve`). */
  local: { path: string; subdomain: string | undefined }
  preview?: string
  site?: string
}

export interface DeployResult {
  /** True when every required target pinned, verify passed and every name moved (or, in a dry run, the plan was made). */
  ok: boolean
  dryRun: boolean
  cid: string
  site: string
  kind: PinKind
  preview?: string
  branch?: string
  commit?: string
  source: 'build' | 'car'
  files: number
  /** Bytes of the site's files. */
  bytes: number
  blocks: number
  /** Bytes of every block of the DAG. */
  dagBytes: number
  /** The root the new one was compared with: the last recorded production deploy, else a name's value. */
  previous?: string
  newBlocks: number
  /** Bytes of blocks the previous deploy lacked (all of them without one). */
  newBytes: number
  reusedBytes: number
  targets: DeployTargetResult[]
  verify?: DeployVerifyResult
  names: DeployNameResult[]
  urls: DeployUrls
  /** The stage that failed. */
  stage?: DeployStage
  /** What failed and what to do. */
  error?: string
  warnings: string[]
  /** The deploy record written (absent in a dry run or when pinning or verify failed). */
  record?: string
}
