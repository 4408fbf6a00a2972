/**
 * One writer per store. The lock file holds the owner's pid; a lock whose process is
 * gone (killed mid-pack) is taken over, because that is exactly the case recovery
 * exists for.
 */
import { open, readFile, rm } from 'node:fs/promises'
import { StoreLockedError } from '../../errors.ts'

export const LOCK_FILE = 'LOCK'

export interface Lock {
  release(): Promise<void>
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function acquireLock(path: string, dir: string): Promise<Lock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return { release: () => rm(path, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
      const who = pid === process.pid ? 'this process' : `process ${pid}`
      throw new StoreLockedError(
        `the block store ${dir} is in use by ${who}; wait for it to finish (or delete ${path} if no ipfs-publish is running)`,
      )
    }
    await rm(path, { force: true })
  }
  throw new StoreLockedError(`could not lock the block store ${dir}: another process keeps taking ${path}`)
}
