/**
 * The local deploy record, `<store>/deploys/<site>.json`: the production history (newest
 * first) and the latest deploy of each preview. The next deploy diffs against the last
 * production root, whose blocks are in the same store. Written beside the old file and
 * renamed over it, so a crash leaves either the old record or the new one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEPLOY_HISTORY_MAX, DEPLOY_RECORD_DIR } from '../constants.ts'
import { DeployError } from '../errors.ts'

export interface DeployEntry {
  cid: string
  /** ISO 8601. */
  time: string
  branch?: string
  commit?: string
  /** Names moved to `cid`, with what they pointed at before. */
  names: Array<{ kind: string; name: string; previous?: string; status: string }>
}

export interface DeployRecord {
  site: string
  production: DeployEntry[]
  previews: Record<string, DeployEntry>
}

export function deployRecordPath(store: string, site: string): string {
  return join(store, DEPLOY_RECORD_DIR, `${site}.json`)
}

export async function readDeployRecord(store: string, site: string): Promise<DeployRecord> {
  const file = deployRecordPath(store, site)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { site, production: [], previews: {} }
    throw new DeployError(`cannot read the deploy record ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    const record = JSON.parse(text) as Partial<DeployRecord>
    if (!Array.isArray(record.production) || typeof record.previews !== 'object' || record.previews === null) throw new Error('missing production or previews')
    return { site, production: record.production, previews: record.previews }
  } catch (err) {
    throw new DeployError(`the deploy record ${file} is damaged (${(err as Error).message}); delete it and deploy again (the next deploy then uploads every block)`, {
      cause: err,
    })
  }
}

/** Adds one deploy (production: at the head of the history; preview: under its name) and writes the record atomically. */
export async function recordDeploy(store: string, site: string, entry: DeployEntry, preview: string | undefined): Promise<string> {
  const record = await readDeployRecord(store, site)
  if (preview === undefined) {
    record.production = [entry, ...record.production.filter((e) => e.cid !== entry.cid)].slice(0, DEPLOY_HISTORY_MAX)
  } else {
    record.previews[preview] = entry
  }
  const file = deployRecordPath(store, site)
  await mkdir(join(store, DEPLOY_RECORD_DIR), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`)
  await rename(temp, file)
  return file
}
