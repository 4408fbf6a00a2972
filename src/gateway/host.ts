/**
 * What kind of gateway a request is for, decided from its `Host` header: a subdomain
 * (`<root>.ipfs.localhost`), the subdomain gateway's own host (`localhost`, where
 * `/ipfs/` paths redirect to subdomains), a plain path gateway (`127.0.0.1`), or a
 * DNSLink website (any other domain name).
 */
import { isIP } from 'node:net'
import { HttpError } from './http-error.ts'
import { fromDnsLabel } from './names.ts'

export type HostRoute =
  /** `<label>.<namespace>.<gateway>`: the content root is in the host, the path is inside it. */
  | { kind: 'subdomain'; namespace: 'ipfs' | 'ipns'; root: string; gateway: string }
  /** A subdomain-capable gateway host: content paths redirect to their subdomain. */
  | { kind: 'subdomain-gateway'; gateway: string }
  /** An IP address or a single-label name: `/ipfs/` and `/ipns/` are served at their path. */
  | { kind: 'path' }
  /** Any other domain: a DNSLink website if it has a DNSLink record, else a path gateway. */
  | { kind: 'dnslink'; domain: string }

/** Splits `host[:port]` (IPv6 in brackets) and lowercases the name; the port is kept as text. */
export function splitHost(header: string): { hostname: string; port: string | undefined } {
  const match = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(header.trim())
  if (match === null) throw new HttpError(400, `malformed Host header '${header}'`)
  return { hostname: match[1]!.toLowerCase().replace(/\.$/, ''), port: match[2] }
}

export function routeHost(header: string | undefined, subdomainHosts: readonly string[]): HostRoute {
  if (header === undefined || header === '') return { kind: 'path' }
  const { hostname, port } = splitHost(header)
  const withPort = (name: string) => (port === undefined ? name : `${name}:${port}`)
  for (const gateway of subdomainHosts) {
    if (hostname === gateway) return { kind: 'subdomain-gateway', gateway: withPort(gateway) }
    for (const namespace of ['ipfs', 'ipns'] as const) {
      const suffix = `.${namespace}.${gateway}`
      if (!hostname.endsWith(suffix)) continue
      const label = hostname.slice(0, -suffix.length)
      if (label.includes('.')) {
        throw new HttpError(400, `'${hostname}': the content root must be a single DNS label before .${namespace}.${gateway}`)
      }
      return { kind: 'subdomain', namespace, root: fromDnsLabel(namespace, label), gateway: withPort(gateway) }
    }
  }
  const bare = hostname.replace(/^\[|\]$/g, '')
  if (isIP(bare) !== 0 || !hostname.includes('.')) return { kind: 'path' }
  return { kind: 'dnslink', domain: hostname }
}
