// This blog's deploy: what `npm start` and the CI deploy job use. Secrets are never
// written here: each entry names the environment variable that holds one, and the
// workflows in .github/ pass those from the repository's secrets.
import { defineConfig } from '../src/config/index.ts'

export default defineConfig({
  site: 'site',
  build: { out: 'dist' },
  pack: { profile: 'unixfs-v1-2025' },
  store: '.ipfs-publish',
  targets: [
    // The CI runner's own node: it serves the blocks while the service fetches them.
    { name: 'local', type: 'local', required: false },
    { name: 'pinning', type: 'pinning-service', endpoint: 'https://api.pinata.cloud/psa', tokenEnv: 'PINNING_SERVICE_TOKEN' },
  ],
  names: [
    { type: 'ipns', keyEnv: 'IPNS_KEY', routers: ['https://delegated-ipfs.dev'] },
    { type: 'dnslink', provider: 'cloudflare', domain: 'blog.ipfs-publish.dev', tokenEnv: 'CLOUDFLARE_API_TOKEN' },
  ],
  // Trustless gateways the deploy fetches the site back from before any name moves.
  gateways: ['https://trustless-gateway.link'],
})
