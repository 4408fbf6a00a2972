import { durationMs } from '../duration.ts'
import { UsageError } from '../errors.ts'

/** A command-line duration (`--timeout 10m`) in milliseconds; a usage error names the option. */
export function parseDuration(text: string, option: string): number {
  const ms = durationMs(text)
  if (ms === undefined) throw new UsageError(`${option}: expected a duration such as 90s, 10m, 1h30m or 7d, got '${text}'`)
  return ms
}
