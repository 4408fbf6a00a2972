/** Deploy summaries and commits shared by the GitHub reporting tests. */
import type { DeploySummary } from '../../src/github/index.ts'

export const TOKEN = 'ghs_testtoken0123456789abcdefABCDEF'
export const REPOSITORY = 'octo/blog'
export const HEAD_SHA = 'a'.repeat(40)
export const NEXT_HEAD_SHA = 'b'.repeat(40)
export const MERGE_SHA = 'c'.repeat(40)
export const CID = 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354'
export const NEXT_CID = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

export function previewSummary(overrides: Partial<DeploySummary> = {}): DeploySummary {
  return {
    cid: CID,
    kind: 'preview',
    preview: 'pr-7',
    files: 42,
    bytes: 3 * 1024 * 1024,
    newBytes: 12 * 1024,
    reusedBytes: 3 * 1024 * 1024 - 12 * 1024,
    targets: [
      { name: 'pin-server', status: 'pinned', timeMs: 1234, requestid: 'req-1' },
      { name: 'backup', status: 'failed', timeMs: 5000, error: 'HTTP 401 | bad <token>: check BACKUP_TOKEN' },
    ],
    names: [],
    urls: {
      gateway: [`https://${CID}.ipfs.dweb.link/`, `http://127.0.0.1:8080/ipfs/${CID}/`],
      preview: `https://${CID}.ipfs.dweb.link/`,
    },
    ok: true,
    ...overrides,
  }
}

export function productionSummary(overrides: Partial<DeploySummary> = {}): DeploySummary {
  return {
    cid: NEXT_CID,
    kind: 'production',
    files: 42,
    bytes: 3 * 1024 * 1024,
    newBytes: 2048,
    reusedBytes: 3 * 1024 * 1024 - 2048,
    targets: [{ name: 'pin-server', status: 'pinned', timeMs: 900, requestid: 'req-2' }],
    names: [
      { kind: 'ipns', name: 'k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8', previous: `/ipfs/${CID}`, value: `/ipfs/${NEXT_CID}`, status: 'updated' },
      { kind: 'dnslink', name: 'blog.example', previous: `/ipfs/${CID}`, value: `/ipfs/${NEXT_CID}`, status: 'updated' },
    ],
    urls: { gateway: [`https://${NEXT_CID}.ipfs.dweb.link/`], site: 'https://blog.example/' },
    ok: true,
    ...overrides,
  }
}
