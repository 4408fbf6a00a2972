/**
 * Builds the publishers of the config's `names`. The only place where a name's secret
 * meets its settings: the caller passes the environment, and a missing variable is a
 * ConfigError naming it (never its value).
 */
import type { Helia } from '@helia/interface'
import type { ResolvedDnslinkName, ResolvedIpnsName, ResolvedName } from '../config/index.ts'
import { ConfigError } from '../errors.ts'
import { createCloudflareDnslink, createDnsimpleDnslink, createRfc2136Dnslink } from './dnslink/index.ts'
import type { NamePublisher } from './index.ts'
import { createIpnsPublisher } from './ipns.ts'
import { keyFromBase64, openKeystore } from './keys.ts'

export interface NameComponents {
  /** The embedded node: IPNS records go into its local store too. */
  helia: Helia
  /** The store folder, for the IPNS keystore. */
  store: string
  /** Where secrets are read from, by the names the config gives. */
  env: Record<string, string | undefined>
  fetch?: typeof fetch
}

function secret(env: NameComponents['env'], variable: string, what: string): string {
  const value = env[variable]
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`the environment variable ${variable} (${what}) is not set: set it, or remove that name from \`names\``)
  }
  return value
}

function ipnsPublisher(name: ResolvedIpnsName, components: NameComponents): NamePublisher {
  const init = { key: name.key, routers: name.routers, lifetimeMs: name.lifetimeMs, ttlMs: name.ttlMs }
  const shared = { helia: components.helia, ...(components.fetch === undefined ? {} : { fetch: components.fetch }) }
  if (name.keyEnv !== undefined) {
    const privateKey = keyFromBase64(secret(components.env, name.keyEnv, 'the IPNS key'), `the environment variable ${name.keyEnv}`)
    return createIpnsPublisher({ ...shared, privateKey }, init)
  }
  return createIpnsPublisher({ ...shared, keystore: openKeystore(components.store) }, init)
}

function dnslinkPublisher(name: ResolvedDnslinkName, components: NameComponents): NamePublisher {
  const common = {
    domain: name.domain,
    ...(name.ipns === undefined ? {} : { ipns: name.ipns }),
    ...(name.ttl === undefined ? {} : { ttl: name.ttl }),
    ...(name.authoritativeServers === undefined ? {} : { authoritativeServers: name.authoritativeServers }),
    ...(name.propagationTimeoutMs === undefined ? {} : { propagationTimeoutMs: name.propagationTimeoutMs }),
    ...(name.zone === undefined ? {} : { zone: name.zone }),
  }
  const http = components.fetch === undefined ? {} : { fetch: components.fetch }
  switch (name.provider) {
    case 'rfc2136':
      // The config check made server, keyName and secretEnv required for this provider.
      return createRfc2136Dnslink(
        {},
        {
          ...common,
          server: name.server!,
          key: { name: name.keyName!, secret: secret(components.env, name.secretEnv!, `the TSIG secret of ${name.keyName}`), ...(name.keyAlgorithm === undefined ? {} : { algorithm: name.keyAlgorithm }) },
        },
      )
    case 'cloudflare':
      return createCloudflareDnslink(http, {
        ...common,
        token: secret(components.env, name.tokenEnv!, 'the Cloudflare API token'),
        tokenEnv: name.tokenEnv!,
        ...(name.apiUrl === undefined ? {} : { apiUrl: name.apiUrl }),
      })
    case 'dnsimple':
      return createDnsimpleDnslink(http, {
        ...common,
        token: secret(components.env, name.tokenEnv!, 'the DNSimple API token'),
        tokenEnv: name.tokenEnv!,
        ...(name.apiUrl === undefined ? {} : { apiUrl: name.apiUrl }),
        ...(name.account === undefined ? {} : { account: name.account }),
      })
  }
}

/** One publisher per configured name, in config order. */
export function createNamePublishers(names: ResolvedName[], components: NameComponents): NamePublisher[] {
  return names.map((name) => (name.type === 'ipns' ? ipnsPublisher(name, components) : dnslinkPublisher(name, components)))
}
