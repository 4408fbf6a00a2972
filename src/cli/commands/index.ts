import type { Command } from '../command.ts'
import { buildCommand } from './build.ts'

/** Every command, in the order `--help` lists them (the order of the pipeline). */
export const commands: Command[] = [buildCommand]
