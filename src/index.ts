/**
 * ipfs-publish as a library: each stage is a function that takes options (with `signal`
 * and `onProgress`) and returns a typed result. The CLI in `src/cli/` is a thin layer
 * over exactly these exports.
 */

// Configuration
export {
  CID_PROFILES,
  defineConfig,
  loadConfig,
  normalizeConfig,
  type PublishConfig,
  type ResolvedConfig,
} from './config/index.ts'

// Stage: render
export { type BuildOptions, type BuildResult, build } from './render/build.ts'
export {
  type AuthorConfig,
  defineSite,
  type FileRef,
  loadSite,
  type NavLink,
  type OutputFile,
  type RenderedSite,
  type ResolvedSiteConfig,
  renderSite,
  type SiteConfig,
  type SiteSource,
} from './render/index.ts'
export { type WriteResult, writeSite } from './render/write.ts'

// Stage: pack
export {
  CID_PROFILE_TABLE,
  type CidProfile,
  type CidProfileName,
  type DiffOptions,
  type DiffResult,
  diff,
  exportCar,
  type PackOptions,
  type PackResult,
  type PackSource,
  pack,
  writeCar,
} from './pack/index.ts'

// The embedded node and its store
export { blockstorePath, openBlockstore, type PackBlockstore } from './node/blockstore/index.ts'
export { createNode, type EmbeddedNode, type LocalPin, type NodeInit, openNode } from './node/index.ts'

// Gateway and retrieval check
export { createGateway, type Gateway, type GatewayInit, gatewayUrls } from './gateway/index.ts'
export { type GatewayVerifyResult, type VerifyOptions, type VerifyResult, verify } from './gateway/verify.ts'

// Stage: pin
export {
  createLocalPinner,
  createPinners,
  createPinningServicePinner,
  createStorachaPinner,
  type Pinner,
  type PinRequest,
  type PinResult,
  type PinAllResult,
  pinAll,
  prune,
  type RemotePin,
} from './pin/index.ts'
export { createPinServer, type PinServer, type PinServerInit } from './pin/server/index.ts'

// Stage: name
export {
  createCloudflareDnslink,
  createDnsimpleDnslink,
  createIpnsPublisher,
  createKeystore,
  createNamePublishers,
  createRfc2136Dnslink,
  type IpnsComponents,
  type IpnsInit,
  type IpnsPublisher,
  type IpnsPublishResult,
  ipnsName,
  type Keystore,
  keyFromBase64,
  keyToBase64,
  type NamePublisher,
  type NamePublishResult,
  openKeystore,
} from './name/index.ts'

// Reporting a deploy to GitHub Actions (step summary, outputs, commit status, PR comment)
export { type DeploySummary, detectGitHubActions, type GitHubContext, reportDeploy } from './github/index.ts'

// The embedded default: the whole pipeline on this machine (`ipfs-publish start`)
export { type LocalSite, type LocalUrls, type StartLocalOptions, startLocal } from './local.ts'

// The whole pipeline against the configured targets and names, under the safety rule (`ipfs-publish deploy`)
export {
  type DeployNameResult,
  type DeployOptions,
  type DeployResult,
  type DeployTargetResult,
  deploy,
  toDeploySummary,
} from './deploy/index.ts'

export * from './errors.ts'
export type * from './events.ts'
