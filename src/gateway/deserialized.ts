/**
 * Websites: directories with their `index.html` (or a listing), the trailing-slash
 * redirect, `_redirects` rules on origin-isolated hosts, and custom 404 pages.
 */
import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { REDIRECTS_FILE_MAX_BYTES } from '../constants.ts'
import type { RequestContext, ResolvedRequest } from './context.ts'
import { serveDirectoryIndex } from './dir-index.ts'
import { serveEntry } from './file.ts'
import { HttpError, isPathNotFound } from './http-error.ts'
import { matchRedirect, parseRedirects, RedirectsFileError } from './redirects.ts'
import { type Headers, redirect, sendError } from './reply.ts'
import { PathNotFoundError, tryExport, walk } from './resolve.ts'

/** Custom 404 pages, looked up in this order from the missing path's directory upwards. */
const NOT_FOUND_PAGES = ['ipfs-404.html', '404.html']

export async function serveDeserialized(rc: RequestContext, request: ResolvedRequest): Promise<void> {
  const segments = [...request.prefix, ...request.path.segments]
  let walked: Awaited<ReturnType<typeof walk>>
  try {
    walked = await walk(rc.reader, request.cid, segments, rc.signal)
  } catch (err) {
    if (!(err instanceof PathNotFoundError)) throw err
    if (request.isolated && (await applyRedirects(rc, request))) return
    await serveNotFound(rc, request, segments.slice(0, err.found), err.message)
    return
  }
  const headers: Headers = { ...request.headers, 'X-Ipfs-Roots': walked.roots.join(',') }
  const { entry } = walked
  if (entry.type !== 'directory') {
    await serveEntry(rc, entry, { name: request.path.segments.at(-1), headers })
    return
  }
  if (!request.path.trailingSlash) {
    redirect(rc.res, 301, `${rc.url.pathname}/${rc.url.search}`, headers, rc.head)
    return
  }
  const index = await childFile(rc, entry.cid, 'index.html')
  if (index !== undefined) {
    await serveEntry(rc, index, { name: 'index.html', headers })
    return
  }
  await serveDirectoryIndex(rc, entry, rc.url.pathname, headers)
}

/** A file directly inside a directory, or undefined when there is none by that name. */
async function childFile(rc: RequestContext, dir: CID, name: string): Promise<UnixFSEntry | undefined> {
  try {
    const entry = await exporter(`${dir}/${name}`, rc.reader, { signal: rc.signal })
    return entry.type === 'file' || entry.type === 'raw' ? entry : undefined
  } catch (err) {
    if (isPathNotFound(err)) return undefined
    throw err
  }
}

/**
 * Evaluates the site's `_redirects` for a path that does not exist. Returns false when
 * no rule applies (or there is no file), so the caller answers 404.
 */
async function applyRedirects(rc: RequestContext, request: ResolvedRequest): Promise<boolean> {
  const file = await tryExport(rc.reader, request.cid, [...request.prefix, '_redirects'], rc.signal)
  if (file === undefined || (file.type !== 'file' && file.type !== 'raw')) return false
  if (file.size > BigInt(REDIRECTS_FILE_MAX_BYTES)) {
    throw new HttpError(500, `the site's _redirects file is ${file.size} bytes; the limit is ${REDIRECTS_FILE_MAX_BYTES}`)
  }
  const chunks: Uint8Array[] = []
  for await (const chunk of file.content({ signal: rc.signal })) chunks.push(chunk)
  let rules: ReturnType<typeof parseRedirects>
  try {
    rules = parseRedirects(Buffer.concat(chunks).toString('utf8'))
  } catch (err) {
    if (err instanceof RedirectsFileError) throw new HttpError(500, err.message, { cause: err })
    throw err
  }
  const match = matchRedirect(rules, request.path.segments, rc.url.searchParams)
  if (match === undefined) return false
  const headers: Headers = { ...request.headers, 'X-Ipfs-Roots': request.cid.toString() }
  if (match.status >= 300 && match.status < 400) {
    redirect(rc.res, match.status, match.location, headers, rc.head)
    return true
  }
  // 200 rewrites and 404/410/451 pages: serve the target with the rule's status.
  const target = new URL(match.location, 'http://site.invalid').pathname
  const targetSegments = target.split('/').filter(Boolean).map(decodeURIComponent)
  let entry = await tryExport(rc.reader, request.cid, [...request.prefix, ...targetSegments], rc.signal)
  if (entry?.type === 'directory') entry = await childFile(rc, entry.cid, 'index.html')
  if (entry === undefined) {
    throw new HttpError(match.status === 200 ? 404 : match.status, `_redirects line ${match.rule.line} points at ${target}, which does not exist`)
  }
  await serveEntry(rc, entry, { name: targetSegments.at(-1), headers, status: match.status })
  return true
}

/** 404 with the nearest `ipfs-404.html` or `404.html` above the missing path, or plain text. */
async function serveNotFound(rc: RequestContext, request: ResolvedRequest, found: string[], message: string): Promise<void> {
  // A missing path stays missing under an immutable root, but a 404 is not worth caching for a year.
  const { 'Cache-Control': _immutable, ...headers } = request.headers
  for (let depth = found.length; depth >= request.prefix.length; depth--) {
    for (const name of NOT_FOUND_PAGES) {
      const page = await tryExport(rc.reader, request.cid, [...found.slice(0, depth), name], rc.signal)
      if (page?.type === 'file' || page?.type === 'raw') {
        await serveEntry(rc, page, { name, headers, status: 404 })
        return
      }
    }
  }
  sendError(rc.res, 404, message, headers, rc.head)
}
