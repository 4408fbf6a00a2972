/**
 * A deploy's result as GitHub Actions is told about it (`reportDeploy`): the step summary,
 * the outputs, the commit status and the preview comment all read this one shape.
 */
import type { DeploySummary } from '../github/types.ts'
import type { DeployResult } from './types.ts'

export function toDeploySummary(result: DeployResult): DeploySummary {
  return {
    cid: result.cid,
    kind: result.kind,
    ...(result.preview === undefined ? {} : { preview: result.preview }),
    files: result.files,
    bytes: result.bytes,
    newBytes: result.newBytes,
    reusedBytes: result.reusedBytes,
    targets: result.targets.map(({ name, status, timeMs, requestid, error }) => ({
      name,
      // A plan pinned nothing: to GitHub's reader that target was not asked.
      status: status === 'planned' ? 'skipped' : status,
      timeMs,
      ...(requestid === undefined ? {} : { requestid }),
      ...(error === undefined ? {} : { error }),
    })),
    names: result.names.map(({ kind, name, previous, value, status, error }) => ({
      kind,
      name,
      ...(previous === undefined ? {} : { previous }),
      value,
      status: status === 'planned' ? 'skipped' : status,
      ...(error === undefined ? {} : { error }),
    })),
    urls: {
      gateway: result.urls.gateway.length > 0 ? result.urls.gateway : [result.urls.local.path],
      ...(result.urls.preview === undefined ? {} : { preview: result.urls.preview }),
      ...(result.urls.site === undefined ? {} : { site: result.urls.site }),
    },
    ok: result.ok,
    ...(result.error === undefined ? {} : { error: result.error }),
  }
}
