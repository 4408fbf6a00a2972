import { dirname, isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DEFAULT_CONFIG_FILES, DEFAULT_NODE_LISTEN, DEFAULT_OUT_DIR, DEFAULT_SITE_DIR, DEFAULT_STORE_DIR } from '../constants.ts'
import { ConfigError } from '../errors.ts'
import { arrayOf, boolean, httpUrl, multiaddrString, nonEmptyString, object, oneOf, optional, ValidationError } from './validate.ts'
import { pathExists } from '../fs.ts'
import { checkNames, type NameConfig, type ResolvedName } from './names.ts'
import { checkTargets, defaultTargets, type ResolvedTarget, type TargetConfig } from './targets.ts'

export type { DnslinkNameConfig, IpnsNameConfig, NameConfig, ResolvedDnslinkName, ResolvedIpnsName, ResolvedName } from './names.ts'
export type { LocalTargetConfig, PinningServiceTargetConfig, ResolvedTarget, StorachaTargetConfig, TargetConfig } from './targets.ts'

export const CID_PROFILES = ['unixfs-v1-2025', 'unixfs-v0-2015'] as const
export type CidProfileName = (typeof CID_PROFILES)[number]

/** The publish configuration: what `pipeline/publish.config.ts` exports. */
export interface PublishConfig {
  /**
   * The project root that relative paths are resolved against.
   * @default the nearest folder at or above the config file that holds a package.json
   */
  root?: string
  /**
   * The Markdown blog to render (posts, templates, assets, site.config.ts).
   * @default 'site'
   */
  site?: string
  build?: {
    /**
     * Where the rendered site is written, and where `command`'s output is read from.
     * @default 'dist'
     */
    out?: string
    /**
     * A shell command that builds the site with another generator (Hugo, Eleventy, ...)
     * instead of the built-in renderer. Its output folder is `build.out`.
     */
    command?: string
    /**
     * Keep each post's rendered Markdown and each page in `<store>/render-cache/` between
     * builds, so a rebuild renders only what changed (the output is the same, byte for
     * byte). `false` renders everything every time and writes no cache.
     * @default true
     */
    cache?: boolean
  }
  pack?: {
    /**
     * The CID profile (IPIP-499) that fixes chunking, DAG layout and CID version.
     * @default 'unixfs-v1-2025'
     */
    profile?: CidProfileName
    /**
     * Pack hidden files (names starting with a dot). `.git` and `.env` stay out whatever this says.
     * @default false
     */
    hidden?: boolean
  }
  /**
   * The embedded node's state: blocks, pins, keys, IPNS records.
   * @default '.ipfs-publish'
   */
  store?: string
  /** The embedded node's network. It dials no public peer unless listed here. */
  node?: {
    /**
     * libp2p addresses to listen on. Use `/ip4/0.0.0.0/tcp/4001` to let a pinning service reach the node.
     * @default ['/ip4/127.0.0.1/tcp/0']
     */
    listen?: string[]
    /**
     * Addresses to tell peers instead of the listen addresses (a public IP or DNS name behind NAT).
     * @default []
     */
    announce?: string[]
    /**
     * Peers to connect to at start and keep connected, each ending in `/p2p/<PeerID>`.
     * @default []
     */
    bootstrap?: string[]
  }
  /**
   * Where the site is pinned, all at once: the embedded node, Pinning Service API endpoints.
   * Tokens are never written here: `tokenEnv` names the environment variable that holds one.
   * @default [{ name: 'local', type: 'local' }]
   */
  targets?: TargetConfig[]
  /**
   * The names moved to a new CID once every required target pinned it and `gateways`
   * fetched it back whole: the site's IPNS name, DNSLink records. Secrets are named by
   * environment variable (`keyEnv`, `secretEnv`, `tokenEnv`), never written here.
   * @default [] (`start` still publishes the local IPNS name of the key `site`)
   */
  names?: NameConfig[]
  /**
   * Trustless gateways (`https://trustless-gateway.link`, a pinning service's gateway)
   * that `deploy` fetches the whole DAG back from before any name moves, and whose URLs
   * it prints. None is built in.
   * @default [] (verify through the embedded node's local gateway, which proves only the local copy)
   */
  gateways?: string[]
}

/** The configuration with defaults applied and every path absolute. */
export interface ResolvedConfig {
  /** The file it was loaded from, or undefined for built-in defaults. */
  file: string | undefined
  root: string
  site: string
  build: { out: string; command: string | undefined; cache: boolean }
  pack: { profile: CidProfileName; hidden: boolean }
  store: string
  node: { listen: string[]; announce: string[]; bootstrap: string[] }
  targets: ResolvedTarget[]
  names: ResolvedName[]
  gateways: string[]
}

/** Identity helper that gives a config file type checking and editor completion. */
export function defineConfig(config: PublishConfig): PublishConfig {
  return config
}

const checkConfig = object({
  root: optional(nonEmptyString),
  site: optional(nonEmptyString),
  build: optional(object({ out: optional(nonEmptyString), command: optional(nonEmptyString), cache: optional(boolean) })),
  pack: optional(object({ profile: optional(oneOf(CID_PROFILES)), hidden: optional(boolean) })),
  store: optional(nonEmptyString),
  node: optional(
    object({
      listen: optional(arrayOf(multiaddrString())),
      announce: optional(arrayOf(multiaddrString())),
      bootstrap: optional(arrayOf(multiaddrString({ peer: true }))),
    }),
  ),
  targets: checkTargets,
  names: checkNames,
  gateways: optional(arrayOf(httpUrl)),
})

/** Validates a raw config value and applies defaults. Messages name the option and the file. */
export async function normalizeConfig(raw: unknown, file: string | undefined, cwd: string): Promise<ResolvedConfig> {
  let config: Omit<PublishConfig, 'targets' | 'names'> & { targets?: ResolvedTarget[]; names?: ResolvedName[] }
  try {
    config = checkConfig(raw, '')
  } catch (err) {
    if (err instanceof ValidationError) throw new ConfigError(err.message, { file, cause: err })
    throw err
  }
  const base = file === undefined ? cwd : dirname(file)
  const root = config.root === undefined ? await findProjectRoot(base) : resolve(base, config.root)
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p))
  return {
    file,
    root,
    site: at(config.site ?? DEFAULT_SITE_DIR),
    build: { out: at(config.build?.out ?? DEFAULT_OUT_DIR), command: config.build?.command, cache: config.build?.cache ?? true },
    pack: { profile: config.pack?.profile ?? 'unixfs-v1-2025', hidden: config.pack?.hidden ?? false },
    store: at(config.store ?? DEFAULT_STORE_DIR),
    node: {
      listen: config.node?.listen ?? [...DEFAULT_NODE_LISTEN],
      announce: config.node?.announce ?? [],
      bootstrap: config.node?.bootstrap ?? [],
    },
    targets: config.targets ?? defaultTargets(),
    names: config.names ?? [],
    // Without a trailing slash, so `${gateway}/ipfs/<cid>` is always well formed.
    gateways: (config.gateways ?? []).map((g) => g.replace(/\/+$/, '')),
  }
}

async function findProjectRoot(start: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    if (await pathExists(resolve(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return start
  }
}

/**
 * Loads the publish configuration. `file` may be `.ts` (default export, usually
 * `defineConfig({...})`) or `.json`. Without `file`, the default locations are tried and
 * built-in defaults are used when none exists.
 */
export async function loadConfig(file?: string, options: { cwd?: string } = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd()
  let path: string | undefined
  if (file !== undefined) {
    path = resolve(cwd, file)
    if (!(await pathExists(path))) throw new ConfigError(`config file not found: ${path} (check --config)`)
  } else {
    for (const candidate of DEFAULT_CONFIG_FILES) {
      if (await pathExists(resolve(cwd, candidate))) {
        path = resolve(cwd, candidate)
        break
      }
    }
  }
  if (path === undefined) return normalizeConfig({}, undefined, cwd)
  return normalizeConfig(await importConfigFile(path), path, cwd)
}

/** Reads the default export of a `.ts`/`.js` module or the content of a `.json` file. */
export async function importConfigFile(path: string): Promise<unknown> {
  if (path.endsWith('.json')) {
    const { readFile } = await import('node:fs/promises')
    const text = await readFile(path, 'utf8')
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new ConfigError(`is not valid JSON: ${(err as Error).message}`, { file: path, cause: err })
    }
  }
  if (!/\.(ts|mts|js|mjs)$/.test(path)) {
    throw new ConfigError('config must be a .ts, .js or .json file', { file: path })
  }
  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown }
  } catch (err) {
    throw new ConfigError(`could not be loaded: ${(err as Error).message}`, { file: path, cause: err })
  }
  if (mod.default === undefined) {
    throw new ConfigError('has no default export: write `export default defineConfig({ ... })`', { file: path })
  }
  return mod.default
}
