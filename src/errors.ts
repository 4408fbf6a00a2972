/**
 * One class per kind of failure. Every error has a stable `code` for scripts and
 * `--json`, a message that says what was wrong and what to do, and the underlying
 * `cause` when a lower layer failed.
 */

/** Where in a file a problem was found. Lines are 1-based. */
export interface Diagnostic {
  file: string
  line?: number
  message: string
}

/** Formats a diagnostic the way editors and CI logs link it: `file:line: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.line === undefined ? `${d.file}: ${d.message}` : `${d.file}:${d.line}: ${d.message}`
}

export class IpfsPublishError extends Error {
  override name = 'IpfsPublishError'
  readonly code: string = 'ERR_IPFS_PUBLISH'
}

/** A command-line argument is missing, unknown or malformed. */
export class UsageError extends IpfsPublishError {
  override name = 'UsageError'
  override readonly code = 'ERR_USAGE'
}

/** The configuration file is missing, does not load, or has an invalid option. */
export class ConfigError extends IpfsPublishError {
  override name = 'ConfigError'
  override readonly code = 'ERR_CONFIG'
  readonly file: string | undefined

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file === undefined ? message : `${options.file}: ${message}`, { cause: options.cause })
    this.file = options.file
  }
}

/** The site could not be rendered: every problem found is listed with file and line. */
export class RenderError extends IpfsPublishError {
  override name = 'RenderError'
  override readonly code = 'ERR_RENDER'
  readonly diagnostics: Diagnostic[]

  constructor(diagnostics: Diagnostic[], options: { cause?: unknown } = {}) {
    const count = diagnostics.length === 1 ? '1 problem' : `${diagnostics.length} problems`
    super(`the site has ${count}:\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`, options)
    this.diagnostics = diagnostics
  }
}

/** The external build command (`build.command`) failed or left no output folder. */
export class BuildCommandError extends IpfsPublishError {
  override name = 'BuildCommandError'
  override readonly code = 'ERR_BUILD_COMMAND'
}

/** The file tree could not be packed into a UnixFS DAG. */
export class PackError extends IpfsPublishError {
  override name = 'PackError'
  override readonly code: string = 'ERR_PACK'
}

/** The operation was cancelled through its `signal` (Ctrl+C, `--timeout`). */
export class AbortError extends IpfsPublishError {
  override name = 'AbortError'
  override readonly code = 'ERR_ABORTED'
}

/** The block store could not be opened, read or written. */
export class StoreError extends IpfsPublishError {
  override name = 'StoreError'
  override readonly code: string = 'ERR_STORE'
}

/** Another process holds the block store's lock. */
export class StoreLockedError extends StoreError {
  override name = 'StoreLockedError'
  override readonly code = 'ERR_STORE_LOCKED'
}

/** A path in the tree to pack cannot be published as it is: not UTF-8, or outside the root. */
export class InvalidPathError extends PackError {
  override name = 'InvalidPathError'
  override readonly code = 'ERR_PACK_PATH'
  readonly path: string

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`)
    this.path = path
  }
}

/** The embedded node could not start, dial a peer, or read a pinned DAG. */
export class NodeError extends IpfsPublishError {
  override name = 'NodeError'
  override readonly code: string = 'ERR_NODE'
}

/** No local pin has the CID or name asked for, or a name matches more than one pin. */
export class PinNotFoundError extends NodeError {
  override name = 'PinNotFoundError'
  override readonly code = 'ERR_PIN_NOT_FOUND'
}

/** `verify` was given something it cannot check: a malformed CID, gateway URL or option. */
export class VerifyError extends IpfsPublishError {
  override name = 'VerifyError'
  override readonly code = 'ERR_VERIFY'
}

/** A pin name given where one pin was meant matches several pins. */
export class PinNameAmbiguousError extends NodeError {
  override name = 'PinNameAmbiguousError'
  override readonly code = 'ERR_PIN_NAME_AMBIGUOUS'
}

/** The local gateway could not start (the address is taken or not ours) or its options are invalid. */
export class GatewayError extends IpfsPublishError {
  override name = 'GatewayError'
  override readonly code = 'ERR_GATEWAY'
}

/** A key of the IPNS keystore is missing, unreadable, readable by others, or badly named. */
export class KeystoreError extends IpfsPublishError {
  override name = 'KeystoreError'
  override readonly code: string = 'ERR_KEYSTORE'
}

/** No key of that name is in the keystore. */
export class KeyNotFoundError extends KeystoreError {
  override name = 'KeyNotFoundError'
  override readonly code = 'ERR_KEY_NOT_FOUND'
}

/** A name (IPNS, DNSLink) could not be published, or did not resolve to what was published. */
export class NameError extends IpfsPublishError {
  override name = 'NameError'
  override readonly code: string = 'ERR_NAME'
}

/** The site did not come back whole from a gateway, so no name was moved to it (the safety rule). */
export class NotRetrievableError extends IpfsPublishError {
  override name = 'NotRetrievableError'
  override readonly code = 'ERR_NOT_RETRIEVABLE'
}

/** `ipfs-publish pin-server` cannot start: its address, its token file or its records are unusable. */
export class PinServerError extends IpfsPublishError {
  override name = 'PinServerError'
  override readonly code = 'ERR_PIN_SERVER'
}

/** A DNSLink record could not be read or updated: the DNS server or provider API refused or failed. */
export class DnslinkError extends NameError {
  override name = 'DnslinkError'
  override readonly code: string = 'ERR_DNSLINK'
}

/** The DNS server or provider did not accept the credentials (TSIG key, API token), or they lack the right to edit the zone. */
export class DnslinkAuthError extends DnslinkError {
  override name = 'DnslinkAuthError'
  override readonly code = 'ERR_DNSLINK_AUTH'
}

/** The update was accepted but the zone's authoritative servers did not all answer the new value in time. */
export class DnslinkNotVisibleError extends DnslinkError {
  override name = 'DnslinkNotVisibleError'
  override readonly code = 'ERR_DNSLINK_NOT_VISIBLE'
}

/** A pin target failed: the service refused the request, could not be reached, or did not pin in time. */
export class PinError extends IpfsPublishError {
  override name = 'PinError'
  override readonly code: string = 'ERR_PIN'
  /** The target's configured name. */
  readonly target: string

  constructor(target: string, message: string, options: { cause?: unknown } = {}) {
    super(`${target}: ${message}`, options)
    this.target = target
  }
}

/** The pinning service refused the access token (HTTP 401/403). */
export class PinUnauthorizedError extends PinError {
  override name = 'PinUnauthorizedError'
  override readonly code = 'ERR_PIN_UNAUTHORIZED'
}

/** The pinning service account has no funds left or reached a limit (HTTP 409). */
export class PinInsufficientFundsError extends PinError {
  override name = 'PinInsufficientFundsError'
  override readonly code = 'ERR_PIN_INSUFFICIENT_FUNDS'
}

/** The pinning service did not reach `pinned` within the target's timeout. */
export class PinTimeoutError extends PinError {
  override name = 'PinTimeoutError'
  override readonly code = 'ERR_PIN_TIMEOUT'
}

/** A delegated routing endpoint could not be reached, or refused to give or take an IPNS record. */
export class IpnsRoutingError extends NameError {
  override name = 'IpnsRoutingError'
  override readonly code = 'ERR_IPNS_ROUTING'
  /** The endpoint's base URL. */
  readonly router: string
  /** The HTTP status it answered, when it answered. */
  readonly status: number | undefined

  constructor(message: string, options: { router: string; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause })
    this.router = options.router
    this.status = options.status
  }
}

/**
 * Another publish of the same IPNS name got there first: right after our PUT a router held
 * a record with our sequence number or a higher one, pointing elsewhere. Nothing is wrong
 * with either site; running the deploy again publishes above the other one.
 */
export class IpnsRaceError extends NameError {
  override name = 'IpnsRaceError'
  override readonly code = 'ERR_IPNS_RACE'
}

/** The w3up space the `storacha` target uploads to has no storage provider: its owner must provision it once. */
export class PinSpaceNotProvisionedError extends PinError {
  override name = 'PinSpaceNotProvisionedError'
  override readonly code = 'ERR_PIN_SPACE_NOT_PROVISIONED'
}

/**
 * Part of a deploy's report to GitHub (step summary, outputs, commit status, PR comment)
 * failed. `reportDeploy` turns it into a warning: the deploy's own result stands.
 */
export class GitHubReportError extends IpfsPublishError {
  override name = 'GitHubReportError'
  override readonly code = 'ERR_GITHUB_REPORT'
  /** The HTTP status the API answered, when it answered. */
  readonly status: number | undefined

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.status = options.status
  }
}

/** The pinning service could not be reached, or kept answering 5xx/429, after the retries. */
export class PinServiceUnavailableError extends PinError {
  override name = 'PinServiceUnavailableError'
  override readonly code = 'ERR_PIN_UNAVAILABLE'
}

/** A deploy could not start or run: bad options, an unreadable deploy record, ... */
export class DeployError extends IpfsPublishError {
  override name = 'DeployError'
  override readonly code: string = 'ERR_DEPLOY'
}

/** A CAR given to `deploy --car` was refused: a block that does not match its CID, not exactly one root, or an incomplete DAG. */
export class CarImportError extends DeployError {
  override name = 'CarImportError'
  override readonly code = 'ERR_CAR_INVALID'
}
