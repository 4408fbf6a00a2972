/**
 * The runner's file commands: step outputs appended to `GITHUB_OUTPUT`, the step summary to
 * `GITHUB_STEP_SUMMARY`. Written here rather than with @actions/core's `setOutput` and
 * `summary.write()` because those find their files in `process.env` (a library here never
 * reads it, and `summary` caches the first path for the life of the process), and
 * `setOutput` without `GITHUB_OUTPUT` prints a `::set-output` command to stdout, which would
 * corrupt `--json`. The format is the one @actions/core writes: every value in the heredoc
 * form with a random `ghadelimiter_<uuid>`, so a value can never end its own entry early.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-output-parameter
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#multiline-strings
 */
import { randomUUID } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { GITHUB_OUTPUT_DELIMITER_PREFIX } from '../constants.ts'
import type { DeploySummary } from './types.ts'

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

/** One `name<<delimiter` entry; a new delimiter is drawn in the (never yet seen) case the value holds it. */
export function outputEntry(name: string, value: string): string {
  if (!OUTPUT_NAME.test(name)) throw new TypeError(`an output name must be letters, digits, '_' or '-', got '${name}'`)
  let delimiter = `${GITHUB_OUTPUT_DELIMITER_PREFIX}${randomUUID()}`
  while (value.includes(delimiter)) delimiter = `${GITHUB_OUTPUT_DELIMITER_PREFIX}${randomUUID()}`
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

/** Appends every output in one write, so a crash leaves all of them or none. */
export async function appendOutputs(file: string, outputs: Record<string, string>): Promise<void> {
  await appendFile(file, Object.entries(outputs).map(([name, value]) => outputEntry(name, value)).join(''), 'utf8')
}

export async function appendStepSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, markdown, 'utf8')
}

/**
 * The outputs a later step can use as `steps.<id>.outputs.<name>`: `url` is where to read
 * this deploy (the preview, the site, or else the first gateway URL).
 */
export function deployOutputs(summary: DeploySummary): Record<string, string> {
  const url = summary.kind === 'preview' ? (summary.urls.preview ?? summary.urls.gateway[0]) : (summary.urls.site ?? summary.urls.gateway[0])
  const of = (kind: string): string[] => summary.names.filter((n) => n.kind === kind).map((n) => n.name)
  const outputs: Record<string, string> = {
    cid: summary.cid,
    ok: String(summary.ok),
    kind: summary.kind,
  }
  if (url !== undefined) outputs.url = url
  if (summary.preview !== undefined) outputs.preview = summary.preview
  if (summary.urls.preview !== undefined) outputs['preview-url'] = summary.urls.preview
  if (summary.urls.site !== undefined) outputs['site-url'] = summary.urls.site
  if (summary.urls.gateway.length > 0) outputs['gateway-urls'] = summary.urls.gateway.join('\n')
  if (of('ipns').length > 0) outputs.ipns = of('ipns').join('\n')
  if (of('dnslink').length > 0) outputs.dnslink = of('dnslink').join('\n')
  return outputs
}
