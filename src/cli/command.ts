import type { ParseArgsConfig } from 'node:util'
import type { ResolvedConfig } from '../config/index.ts'
import type { Output } from './output.ts'

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  /** One line for `--help`. */
  description: string
  /** Placeholder shown in `--help` for options that take a value. */
  value?: string
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>

export interface CommandContext {
  values: ParsedValues
  positionals: string[]
  /** Loads `--config` (or the default config) on first use. */
  config: () => Promise<ResolvedConfig>
  output: Output
  signal: AbortSignal
  cwd: string
}

export interface Command {
  name: string
  /** One line for the command list. */
  summary: string
  /** Positional arguments as shown in the usage line, e.g. `[DIR]`. */
  args?: string
  /** Paragraphs shown after the options in `--help`. */
  details?: string
  options: Record<string, OptionSpec>
  /** Returns the process exit code. */
  run: (ctx: CommandContext) => Promise<number>
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', short: 'c', value: 'FILE', description: 'publish config (.ts or .json); default pipeline/publish.config.ts' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout; progress stays on stderr' },
  quiet: { type: 'boolean', short: 'q', description: 'print no progress, only warnings, errors and the result' },
  timeout: { type: 'string', value: 'DURATION', description: 'give up after this long, e.g. 90s, 10m (default: no limit)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
}
