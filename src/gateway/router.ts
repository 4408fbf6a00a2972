/**
 * Turns a request into content: which gateway the `Host` names, the path-to-subdomain
 * redirect, the URI router, the landing page, then the representation asked for.
 */
import { cacheHeaders } from './caching.ts'
import type { ContentRequest, RequestContext, ResolvedRequest } from './context.ts'
import { serveDeserialized } from './deserialized.ts'
import { negotiate } from './format.ts'
import { HttpError } from './http-error.ts'
import { routeHost } from './host.ts'
import { requireCid, toDnsLabel } from './names.ts'
import { redirect, sendText } from './reply.ts'
import { resolveName } from './resolve.ts'
import { serveCar, serveCodecBlock, serveIpnsRecord, serveRawBlock } from './trustless.ts'
import { formatContentPath, joinPath, parseContentPath, splitPath } from './url-path.ts'

export async function route(rc: RequestContext): Promise<void> {
  const { url } = rc
  const host = routeHost(rc.req.headers.host, rc.gateway.subdomainHosts)
  if (host.kind === 'subdomain') {
    const { segments, trailingSlash } = splitPath(url.pathname)
    await serveContent(rc, { path: { namespace: host.namespace, root: host.root, segments, trailingSlash }, isolated: true })
    return
  }
  if (host.kind === 'dnslink') {
    const dnslink = await rc.gateway.resolvers.dnslink.lookup(host.domain, { signal: rc.signal })
    if (dnslink !== undefined) {
      const { segments, trailingSlash } = splitPath(url.pathname)
      await serveContent(rc, { path: { namespace: 'ipns', root: host.domain, segments, trailingSlash }, isolated: true, dnslink })
      return
    }
    // A domain without DNSLink that points here is just another name of the path gateway.
  }
  if (uriRouter(rc)) return
  const path = parseContentPath(url.pathname)
  if (path === undefined) {
    landing(rc)
    return
  }
  if (host.kind === 'subdomain-gateway') {
    // Origin isolation: each root gets its own origin. Only the root is checked before redirecting.
    const label = toDnsLabel(path.namespace, path.root)
    const proto = rc.req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'
    const forwarded = rc.req.headers['x-forwarded-host']
    const gateway = typeof forwarded === 'string' && forwarded !== '' ? forwarded : host.gateway
    const rest = joinPath(path.segments, path.trailingSlash)
    redirect(rc.res, 301, `${proto}://${label}.${path.namespace}.${gateway}${rest}${url.search}`, {}, rc.head)
    return
  }
  if (rc.req.headers['service-worker'] === 'script' && path.segments.length === 0 && !path.trailingSlash) {
    throw new HttpError(400, 'a service worker cannot be registered for a whole content root; add a trailing slash')
  }
  await serveContent(rc, { path, isolated: false })
}

async function serveContent(rc: RequestContext, request: ContentRequest): Promise<void> {
  const negotiated = negotiate(rc.url.searchParams, rc.req.headers.accept)
  if (negotiated.format.kind === 'ipns-record') {
    await serveIpnsRecord(rc, request.path, negotiated)
    return
  }
  const { path } = request
  const root =
    path.namespace === 'ipfs'
      ? { cid: requireCid(path.root), prefix: [], ttlSeconds: undefined }
      : await resolveName(rc.gateway.resolvers, path.root, rc.signal, request.dnslink)
  if (/\bonly-if-cached\b/.test(rc.req.headers['cache-control'] ?? '') && !(await rc.reader.has(root.cid, { signal: rc.signal }))) {
    throw new HttpError(412, `${root.cid} is not in this node's store (only-if-cached)`)
  }
  const resolved: ResolvedRequest = {
    ...request,
    cid: root.cid,
    prefix: root.prefix,
    headers: { ...cacheHeaders(path.namespace, root.ttlSeconds), 'X-Ipfs-Path': formatContentPath(path), Vary: 'Accept' },
  }
  const { format } = negotiated
  if (format.kind === 'raw') await serveRawBlock(rc, resolved, negotiated)
  else if (format.kind === 'car') await serveCar(rc, resolved, negotiated, format.car)
  else if (format.kind === 'codec') await serveCodecBlock(rc, resolved, negotiated, format.name)
  else await serveDeserialized(rc, resolved)
}

/** `/ipfs/?uri=ipfs://<cid>/path` (registerProtocolHandler) → `/ipfs/<cid>/path`. */
function uriRouter(rc: RequestContext): boolean {
  const uri = rc.url.searchParams.get('uri')
  if (uri === null || !/^\/ip[fn]s\/?$/.test(rc.url.pathname)) return false
  const match = /^(ipfs|ipns):\/\/(.+)$/i.exec(uri)
  if (match === null) throw new HttpError(400, `uri must be ipfs://… or ipns://…, got '${uri}'`)
  redirect(rc.res, 301, `/${match[1]!.toLowerCase()}/${encodeURI(match[2]!)}`, {}, rc.head)
  return true
}

function landing(rc: RequestContext): void {
  if (rc.url.pathname !== '/') throw new HttpError(404, `${rc.url.pathname} is not a content path; use /ipfs/<cid>/ or /ipns/<name>/`)
  sendText(
    rc.res,
    200,
    'ipfs-publish local gateway\n\n' +
      'Path gateway:       /ipfs/<cid>/path, /ipns/<name>/path\n' +
      'Subdomain gateway:  http://<cid>.ipfs.localhost:<port>/, http://<name>.ipns.localhost:<port>/\n' +
      'Trustless:          ?format=car, ?format=raw, ?format=ipns-record\n',
    {},
    rc.head,
  )
}
