/**
 * The statuses the gateway answers with when it cannot serve content. These never leave
 * the gateway: the request handler turns them into a plain-text response.
 */
import type { CID } from 'multiformats/cid'

/** A response the handler should send instead of content, with its status and a message for the body. */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly status: number
  readonly headers: Record<string, string>

  constructor(status: number, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.status = status
    this.headers = options.headers ?? {}
  }
}

/**
 * A block the content needs is neither in the store nor retrievable. Kept apart from the
 * exporter's own `NotFoundError` (a path that does not exist in the DAG), which is a 404.
 */
export class MissingBlockError extends Error {
  override name = 'MissingBlockError'
  readonly cid: CID

  constructor(cid: CID, options: { cause?: unknown } = {}) {
    super(`block ${cid} is not in this node's store`, options)
    this.cid = cid
  }
}

/** An IPNS name has no record this node can find, or only invalid ones. */
export class MissingRecordError extends Error {
  override name = 'MissingRecordError'
}

/** True for the exporter's "this path is not in the DAG" error, as opposed to a missing block. */
export function isPathNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'NotFoundError' && (err as { code?: string }).code === 'ERR_NOT_FOUND'
}
