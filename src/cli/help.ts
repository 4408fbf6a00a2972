import { type Command, GLOBAL_OPTIONS } from './command.ts'

function optionLines(options: Command['options']): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`
    return [flag, `${o.description}${o.multiple === true ? ' (repeatable)' : ''}`] as const
  })
  const width = Math.max(...rows.map(([flag]) => flag.length))
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)
}

export function formatMainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'ipfs-publish: build a site, pack it into a UnixFS DAG, pin it, verify it, and move its names',
    '',
    'Usage: ipfs-publish <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    "Run 'ipfs-publish <command> --help' for a command's options.",
    '',
  ].join('\n')
}

export function formatCommandHelp(command: Command): string {
  const own = Object.keys(command.options).length > 0
  return [
    `ipfs-publish ${command.name}: ${command.summary}`,
    '',
    `Usage: ipfs-publish ${command.name}${command.args === undefined ? '' : ` ${command.args}`} [options]`,
    '',
    ...(own ? ['Options:', ...optionLines(command.options), ''] : []),
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    ...(command.details === undefined ? [] : [command.details.trim(), '']),
  ].join('\n')
}
