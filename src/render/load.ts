/**
 * `loadSite`: all the reading from disk. It gathers the site config, the posts' text, the
 * templates' text and references to static files, so rendering needs no I/O at all.
 */
import { readFileSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { setImmediate } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { importConfigFile } from '../config/index.ts'
import { ValidationError } from '../config/validate.ts'
import { SITE_CONFIG_FILES } from '../constants.ts'
import { ConfigError } from '../errors.ts'
import type { AbortOptions, BuildProgressEvents, ProgressOptions } from '../events.ts'
import { normalizeSiteConfig } from './config.ts'
import { compareStrings, listFiles } from './files.ts'
import type { ResolvedSiteConfig, SiteSource, StaticFile, TextSource } from './types.ts'
import { pathExists } from '../fs.ts'

/**
 * The built-in theme: the project's own blog's templates and stylesheet. A site that has no
 * template (or stylesheet) of a given name gets the theme's.
 */
const THEME_DIR = fileURLToPath(new URL('../../site/', import.meta.url))
const THEME_PARTS = ['templates', 'assets/css'] as const

const MARKDOWN = /\.(md|markdown)$/i
/**
 * Posts are read synchronously, this many between two turns of the event loop. Each
 * `fs/promises` readFile takes four trips through the thread pool: 20,000 small posts took
 * 0.7 s that way and take 0.12 s this way (a checkout's files are in the page cache).
 */
const READ_BATCH = 256

/** Reads a site folder: `site.config.ts|json`, `posts/`, `templates/`, `assets/`, `static/`. */
export async function loadSite(
  dir: string,
  options: AbortOptions & ProgressOptions<BuildProgressEvents> = {},
): Promise<SiteSource> {
  const { signal } = options
  const root = resolve(dir)
  if (!(await pathExists(root))) throw new ConfigError(`site folder not found: ${root} (check --site or \`site\` in the config)`)
  const { config, configFile } = await loadSiteConfig(root)
  signal?.throwIfAborted()

  const posts: TextSource[] = []
  const files: StaticFile[] = []
  const postFiles: { abs: string; rel: string }[] = []
  for (const f of await listFiles(join(root, 'posts'), root)) {
    if (MARKDOWN.test(f.rel)) {
      // Hugo's section files (`_index.md`) describe a list page, not a post.
      if (!/(^|\/)_[^/]*$/.test(f.rel)) postFiles.push(f)
    } else {
      files.push(await staticFile(f.abs, f.rel))
    }
  }
  for (let i = 0; i < postFiles.length; i += READ_BATCH) {
    signal?.throwIfAborted()
    for (const f of postFiles.slice(i, i + READ_BATCH)) posts.push({ file: f.rel, text: readFileSync(f.abs, 'utf8') })
    // Lets other work in between batches (the render cache's manifest is being read), and a Ctrl+C.
    await setImmediate()
  }

  for (const f of await listFiles(join(root, 'assets'), root)) files.push(await staticFile(f.abs, f.rel))
  // Hugo and Eleventy sites keep files served at the site root (`/images/x.png`) in `static/`.
  const staticDir = join(root, 'static')
  for (const f of await listFiles(staticDir, staticDir)) files.push(await staticFile(f.abs, f.rel))

  const templates: TextSource[] = []
  const own = new Set<string>()
  for (const f of await listFiles(join(root, 'templates'), root)) {
    if (!f.rel.endsWith('.eta')) continue
    own.add(f.rel)
    templates.push({ file: f.rel, text: await readFile(f.abs, { encoding: 'utf8', signal }) })
  }
  const have = new Set(files.map((f) => f.path))
  for (const part of THEME_PARTS) {
    for (const f of await listFiles(join(THEME_DIR, part), THEME_DIR)) {
      if (part === 'templates') {
        if (f.rel.endsWith('.eta') && !own.has(f.rel)) {
          templates.push({ file: f.rel, text: await readFile(f.abs, { encoding: 'utf8', signal }) })
        }
      } else if (!have.has(f.rel)) {
        files.push(await staticFile(f.abs, f.rel))
      }
    }
  }

  files.sort((a, b) => compareStrings(a.path, b.path))
  templates.sort((a, b) => compareStrings(a.file, b.file))
  const stylesheets: TextSource[] = []
  for (const f of files) {
    if (f.path.endsWith('.css')) stylesheets.push({ file: f.path, text: await readFile(f.ref.file, { encoding: 'utf8', signal }) })
  }
  options.onProgress?.({ type: 'build:load', detail: { posts: posts.length, assets: files.length } })
  return { dir: root, configFile, config, posts, templates, files, stylesheets }
}

async function loadSiteConfig(root: string): Promise<{ config: ResolvedSiteConfig; configFile: string }> {
  for (const name of SITE_CONFIG_FILES) {
    const path = join(root, name)
    if (!(await pathExists(path))) continue
    const shown = displayPath(path)
    let raw: unknown
    try {
      raw = await importConfigFile(path)
    } catch (err) {
      // importConfigFile names the absolute path; say it the way the other messages do.
      if (err instanceof ConfigError) {
        throw new ConfigError(err.message.replace(`${path}: `, ''), { file: shown, cause: err.cause })
      }
      throw err
    }
    try {
      return { config: normalizeSiteConfig(raw), configFile: name }
    } catch (err) {
      if (err instanceof ValidationError) throw new ConfigError(err.message, { file: shown, cause: err })
      throw err
    }
  }
  throw new ConfigError(
    `no site config in ${displayPath(root)}: write site.config.ts (export default defineSite({ title, baseUrl })) or site.config.json`,
  )
}

/** Paths in messages are relative to where the command runs, as a terminal or CI log links them. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/')
}

async function staticFile(abs: string, rel: string): Promise<StaticFile> {
  return { path: rel, ref: { file: abs, size: (await stat(abs)).size } }
}

