import type { Command } from '../command.ts'
import { buildCommand } from './build.ts'
import { diffCommand } from './diff.ts'
import { gcCommand } from './gc.ts'
import { keyCommand } from './key.ts'
import { nameCommand } from './name.ts'
import { packCommand } from './pack.ts'
import { pinCommand } from './pin.ts'
import { pinServerCommand } from './pin-server.ts'
import { pinsCommand } from './pins.ts'
import { pruneCommand } from './prune.ts'
import { republishCommand } from './republish.ts'
import { serveCommand } from './serve.ts'
import { startCommand } from './start.ts'
import { unpinCommand } from './unpin.ts'
import { verifyCommand } from './verify.ts'

/** Every command, in the order `--help` lists them (the order of the pipeline). */
export const commands: Command[] = [startCommand, buildCommand, packCommand, diffCommand, pinsCommand, unpinCommand, verifyCommand, pinCommand, pruneCommand, nameCommand, gcCommand, serveCommand, pinServerCommand, republishCommand, keyCommand]
