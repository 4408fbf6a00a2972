/**
 * `ipfs-publish`: parses arguments, wires a command to the library, prints, and returns
 * the exit code. Nothing below `src/cli/` prints or exits.
 */
import { parseArgs } from 'node:util'
import { loadConfig, type ResolvedConfig } from '../config/index.ts'
import { AbortError, IpfsPublishError, RenderError, UsageError } from '../errors.ts'
import { type Command, type CommandContext, GLOBAL_OPTIONS, type ParsedValues } from './command.ts'
import { commands } from './commands/index.ts'
import { parseDuration } from './duration.ts'
import { formatCommandHelp, formatMainHelp } from './help.ts'
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './exit.ts'
import { Output, type TextSink } from './output.ts'


export interface MainOptions {
  stdout?: TextSink
  stderr?: TextSink
  cwd?: string
  /** Aborted on Ctrl+C by the bin script. */
  signal?: AbortSignal
}

function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name)
}

function parse(command: Command, argv: string[]): { values: ParsedValues; positionals: string[] } {
  const options = { ...GLOBAL_OPTIONS, ...command.options }
  const config = Object.fromEntries(
    Object.entries(options).map(([name, { description: _d, value: _v, ...spec }]) => [name, spec]),
  )
  try {
    const { values, positionals } = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true })
    return { values: values as ParsedValues, positionals }
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new UsageError(`${message}\nRun 'ipfs-publish ${command.name} --help' for the options.`)
  }
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout
  const stderr = options.stderr ?? process.stderr
  const cwd = options.cwd ?? process.cwd()
  const [name, ...rest] = argv

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined
    const command = topic === undefined ? undefined : findCommand(topic)
    stdout.write(command === undefined ? formatMainHelp(commands) : formatCommandHelp(command))
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version' || name === '-V') {
    const { readPackageVersion } = await import('./version.ts')
    stdout.write(`${await readPackageVersion()}\n`)
    return EXIT_OK
  }

  const command = findCommand(name)
  const json = rest.includes('--json')
  const output = new Output({ json, quiet: rest.includes('--quiet') || rest.includes('-q'), stdout, stderr })
  if (command === undefined) {
    return fail(output, new UsageError(`unknown command '${name}'. Run 'ipfs-publish --help' for the list.`))
  }

  const controller = new AbortController()
  const signals = [controller.signal, ...(options.signal === undefined ? [] : [options.signal])]
  try {
    const { values, positionals } = parse(command, rest)
    if (values.help === true) {
      stdout.write(formatCommandHelp(command))
      return EXIT_OK
    }
    if (typeof values.timeout === 'string') signals.push(AbortSignal.timeout(parseDuration(values.timeout, '--timeout')))
    let config: Promise<ResolvedConfig> | undefined
    const ctx: CommandContext = {
      values,
      positionals,
      config: () => {
        config ??= loadConfig(typeof values.config === 'string' ? values.config : undefined, { cwd })
        return config
      },
      output,
      signal: AbortSignal.any(signals),
      cwd,
    }
    return await command.run(ctx)
  } catch (err) {
    return fail(output, err)
  }
}

function fail(output: Output, err: unknown): number {
  const error = err instanceof Error ? err : new Error(String(err))
  const aborted = error instanceof AbortError || error.name === 'AbortError' || error.name === 'TimeoutError'
  const code = error instanceof IpfsPublishError ? error.code : aborted ? 'ERR_ABORTED' : 'ERR_UNEXPECTED'
  const message = aborted
    ? `stopped: ${error.name === 'TimeoutError' ? 'the --timeout ran out' : 'interrupted'}; nothing half-written is kept`
    : error.message
  if (output.json) {
    const diagnostics = error instanceof RenderError ? error.diagnostics : undefined
    output.result({ error: { code, message, ...(diagnostics === undefined ? {} : { diagnostics }) } }, [])
  }
  if (error instanceof IpfsPublishError || aborted) {
    output.error(message)
  } else {
    // An error we did not anticipate: show where it came from so it can be reported.
    output.error(`unexpected failure: ${error.stack ?? message}`)
  }
  if (error instanceof UsageError) return EXIT_USAGE
  return aborted ? EXIT_INTERRUPTED : EXIT_FAILURE
}
