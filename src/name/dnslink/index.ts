/**
 * DNSLink publishers, one per DNS provider, all returning a `NamePublisher` of kind
 * `dnslink`. Secrets (TSIG secret, API tokens) are passed in by the caller, which reads
 * them from the environment variables the config names; they never appear in results,
 * events or error messages.
 */
export { createCloudflareDnslink, type CloudflareComponents, type CloudflareInit } from './cloudflare.ts'
export { createDnsimpleDnslink, type DnsimpleComponents, type DnsimpleInit } from './dnsimple.ts'
export type { DnslinkInit, DnslinkPublishResult } from './publisher.ts'
export { createRfc2136Dnslink, type Rfc2136Components, type Rfc2136Init } from './rfc2136.ts'
export type { TsigAlgorithm } from './tsig.ts'
