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
