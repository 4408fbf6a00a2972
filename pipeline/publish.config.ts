// This blog's deploy: what `npm start` and the CI deploy job use. Secrets are never
// written here; later sections name the environment variables that hold them.
import { defineConfig } from '../src/config/index.ts'

export default defineConfig({
  site: 'site',
  build: { out: 'dist' },
  pack: { profile: 'unixfs-v1-2025' },
  store: '.ipfs-publish',
})
