/**
 * The retrieval check before any name moves, and the URLs a deploy prints. Through the
 * configured gateways when there are any (what readers will use); else through the
 * required targets' own gateways (`gateway` on a target); otherwise through a gateway over
 * the embedded node, which proves only that the local copy is whole, and says so.
 */
import type { CID } from 'multiformats/cid'
import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT } from '../constants.ts'
import { createGateway, gatewayUrls } from '../gateway/index.ts'
import { verify } from '../gateway/verify.ts'
import type { EmbeddedNode } from '../node/index.ts'
import type { DeployAllProgressEvents, DeployUrls, DeployVerifyResult } from './types.ts'

export interface VerifySiteOptions {
  gateways: readonly string[]
  fetch?: typeof fetch
  signal?: AbortSignal
  emit: (event: DeployAllProgressEvents) => void
}

/** The gateways verify reads through, and the URLs point at: `gateways`, else the required targets' own. */
export function verifyGateways(config: { gateways?: readonly string[] | undefined; targets: ReadonlyArray<{ required: boolean; gateway?: string }> }): string[] {
  if (config.gateways !== undefined && config.gateways.length > 0) return [...config.gateways]
  return [...new Set(config.targets.flatMap((t) => (t.required && t.gateway !== undefined ? [t.gateway] : [])))]
}

export async function verifySite(node: EmbeddedNode, cid: CID, options: VerifySiteOptions): Promise<DeployVerifyResult> {
  const { signal, emit } = options
  const check = async (gateways: string[], localOnly: boolean): Promise<DeployVerifyResult> => {
    const result = await verify(cid.toString(), { gateways, ...(options.fetch === undefined ? {} : { fetch: options.fetch }), signal, onProgress: emit })
    const checked = result.gateways.map(({ url, ok, blocks, bytes, timeMs, error }) => ({ url, ok, blocks, bytes, timeMs, ...(error === undefined ? {} : { error }) }))
    return { ok: result.ok, localOnly, gateways: checked }
  }
  if (options.gateways.length > 0) return check([...options.gateways], false)
  emit({
    type: 'deploy:warning',
    detail: {
      message:
        'no gateways in the config: verified through a local gateway over the embedded node, which only proves the local copy is whole; ' +
        "add trustless gateways to 'gateways' (or a required target's 'gateway') to check what readers will get",
    },
  })
  const gateway = createGateway({ helia: node.helia }, { host: DEFAULT_GATEWAY_HOST, port: 0, onProgress: emit })
  const address = await gateway.start()
  try {
    return await check([address.url], true)
  } finally {
    await gateway.stop()
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The site by CID on every configured gateway and in the local gateway's form; the preview's or the site's own address. */
export function deployUrls(cid: CID, gateways: readonly string[], names: ReadonlyArray<{ kind: string; name: string; status: string }>, preview: boolean): DeployUrls {
  const id = cid.toV1().toString()
  const local = gatewayUrls({ host: DEFAULT_GATEWAY_HOST, port: DEFAULT_GATEWAY_PORT, url: `http://${DEFAULT_GATEWAY_HOST}:${DEFAULT_GATEWAY_PORT}` }, id)
  const gateway = gateways.map((g) => `${trimSlash(g)}/ipfs/${id}/`)
  const urls: DeployUrls = { gateway, local: { path: local.path, subdomain: local.subdomain } }
  if (preview) return { ...urls, preview: gateway[0] ?? local.subdomain ?? local.path }
  const moved = names.filter((n) => n.status === 'updated' || n.status === 'unchanged')
  const dnslink = moved.find((n) => n.kind === 'dnslink')
  const ipns = moved.find((n) => n.kind === 'ipns')
  const first = gateways[0]
  if (dnslink !== undefined) urls.site = `https://${dnslink.name}/`
  else if (ipns !== undefined && first !== undefined) urls.site = `${trimSlash(first)}/ipns/${ipns.name}/`
  return urls
}
