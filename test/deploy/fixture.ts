/**
 * A deploy test project: a copy of the repository's blog (so a post can change), a store of
 * its own, and a config whose targets are the embedded node plus our pin-server run as a
 * child process, with a local-only IPNS name.
 */
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { normalizeConfig, type ResolvedConfig } from '../../src/config/index.ts'
import { createNamePublishers } from '../../src/name/from-config.ts'
import { openNode } from '../../src/node/index.ts'
import { createPinningServicePinner, type RemotePin } from '../../src/pin/index.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const TOKEN_ENV = 'DEPLOY_TEST_PIN_TOKEN'

export interface Project {
  dir: string
  /** The raw config, also written to `publish.config.json` for the CLI. */
  raw: Record<string, unknown>
  config: ResolvedConfig
  configFile: string
  /** Appends a paragraph to one post: a one-post change. */
  changePost(text: string): Promise<void>
  cleanup(): Promise<void>
}

export async function createProject(pinServerUrl: string, extra: Record<string, unknown> = {}): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-deploy-'))
  await cp(join(REPO, 'site'), join(dir, 'site'), { recursive: true })
  // site.config.ts imports the renderer by a relative path.
  await symlink(join(REPO, 'src'), join(dir, 'src'))
  await writeFile(join(dir, 'package.json'), '{ "name": "deploy-test", "private": true, "type": "module" }\n')
  const raw = {
    site: 'site',
    store: 'store',
    build: { out: 'dist' },
    targets: [
      { name: 'local', type: 'local' },
      { name: 'ours', type: 'pinning-service', endpoint: pinServerUrl, tokenEnv: TOKEN_ENV, timeout: '30s' },
    ],
    names: [{ type: 'ipns', key: 'site' }],
    ...extra,
  }
  const configFile = join(dir, 'publish.config.json')
  await writeFile(configFile, JSON.stringify(raw, null, 2))
  const config = await normalizeConfig(raw, configFile, dir)
  const post = join(dir, 'site', 'posts', 'names-move-last.md')
  return {
    dir,
    raw,
    config,
    configFile,
    changePost: async (text) => writeFile(post, `${await readFile(post, 'utf8')}\n\n${text}\n`),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/** What each configured name points at now, read with the store closed to deploys. */
export async function currentNames(config: ResolvedConfig): Promise<Array<string | undefined>> {
  const node = await openNode(config.store, { offline: true })
  try {
    const publishers = createNamePublishers(config.names, { helia: node.helia, store: config.store, env: {} })
    return await Promise.all(publishers.map((p) => p.current?.()))
  } finally {
    await node.stop()
  }
}

/** The site's pins at the pin-server, as its API lists them. */
export function serverPins(url: string, token: string, site = 'site'): Promise<RemotePin[]> {
  const pinner = createPinningServicePinner({}, { name: 'ours', endpoint: url, token, tokenEnv: TOKEN_ENV })
  return pinner.list({ site })
}
