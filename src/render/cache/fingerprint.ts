/**
 * What made a cached entry, beyond its own inputs: the renderer's code, the packages it
 * renders with (and what they depend on, as installed), and the runtime. Every key starts
 * with it, so a new version of any of them never meets an old entry.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as constants from '../../constants.ts'
import { compareStrings } from '../files.ts'
import { RENDER_CACHE_FORMAT } from './format.ts'

/**
 * The packages the renderer imports. A test checks that every package imported under
 * src/render/ is listed: one left out could change the output without changing the key.
 */
export const RENDER_PACKAGES = [
  'eta',
  'feed',
  'highlight.js',
  'htmlparser2',
  'js-yaml',
  'markdown-it',
  'markdown-it-anchor',
  'markdown-it-container',
  'markdown-it-emoji',
] as const

/** The renderer's own folder: src/render, or lib/render when compiled. */
const RENDER_DIR = fileURLToPath(new URL('../', import.meta.url))

let computed: Promise<string> | undefined

/** The fingerprint of this process's renderer; computed once. */
export function renderFingerprint(): Promise<string> {
  computed ??= compute()
  return computed
}

async function compute(): Promise<string> {
  const hash = createHash('sha256')
  const add = (label: string, value: string | Uint8Array) => hash.update(`${label}\0${value.length}\0`).update(value)
  add('format', String(RENDER_CACHE_FORMAT))
  const { node, v8, icu, unicode } = process.versions
  add('runtime', JSON.stringify([node, v8, icu, unicode]))
  for (const file of await codeFiles(RENDER_DIR)) add(file.slice(RENDER_DIR.length), await readFile(file))
  // The values of the named constants the renderer uses (summary length, feed size, ...).
  add('constants', JSON.stringify(Object.entries(constants).sort(([a], [b]) => compareStrings(a, b))))
  add('packages', (await installedPackages(RENDER_PACKAGES, RENDER_DIR)).join('\n'))
  return hash.digest('base64url')
}

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort(compareStrings)
}

/**
 * `name@version` of each package and, recursively, of each of its dependencies, found the
 * way Node finds them (the nearest node_modules folder upward); sorted. A package that
 * cannot be found is listed as missing rather than failing the build.
 */
export async function installedPackages(names: readonly string[], from: string): Promise<string[]> {
  const seen = new Map<string, string>()
  const visit = async (name: string, dir: string): Promise<void> => {
    const found = await findPackage(name, dir)
    if (found === undefined) {
      seen.set(`${name} (from ${dir})`, `${name}@missing`)
      return
    }
    if (seen.has(found.dir)) return
    seen.set(found.dir, `${name}@${found.version}`)
    for (const dep of found.dependencies) await visit(dep, found.dir)
  }
  for (const name of names) await visit(name, from)
  return [...new Set(seen.values())].sort(compareStrings)
}

interface FoundPackage {
  dir: string
  version: string
  dependencies: string[]
}

async function findPackage(name: string, from: string): Promise<FoundPackage | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name)
    try {
      const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown; dependencies?: unknown }
      const deps = typeof pkg.dependencies === 'object' && pkg.dependencies !== null ? Object.keys(pkg.dependencies) : []
      return { dir: pkgDir, version: String(pkg.version), dependencies: deps.sort(compareStrings) }
    } catch {
      // Not in this node_modules (or unreadable): look further up, as Node does.
    }
    if (dirname(dir) === dir) return undefined
  }
}
