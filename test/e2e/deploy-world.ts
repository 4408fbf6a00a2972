/**
 * Everything the end-to-end deploy test runs against, started for real on loopback: our
 * pin-server as a child process, the w3up upload service, two delegated routing servers
 * and Knot. Plus a project (a copy of the repository's blog with a JSON config naming all
 * of them) and readers that ask each service itself what it holds, not the deploy's word.
 */
import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unmarshalIPNSRecord } from 'ipns'
import type { RemotePin } from '../../src/pin/index.ts'
import { build } from '../../src/render/build.ts'
import { outputSize } from '../../src/render/write.ts'
import { readTxt } from '../../src/name/dnslink/authoritative.ts'
import { parseServer } from '../../src/name/dnslink/transport.ts'
import { serverPins } from '../deploy/fixture.ts'
import { type CliRun, runCli } from '../helpers/cli.ts'
import { type Knot, startKnot } from '../helpers/knot.ts'
import { type RoutingServer, startRoutingServer } from '../helpers/routing-server.ts'
import { startW3upService, type W3upService } from '../helpers/w3up-service.ts'
import { type PinServerProcess, startPinServerProcess } from '../pin/pin-server-process.ts'
import { agentWithSpace } from '../pin/storacha-fixture.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const ZONE = 'e2e.example'
/** The site's DNSLink domain; Chromium maps it to loopback, Knot serves its TXT. */
export const DOMAIN = `blog.${ZONE}`
export const SITE_TITLE = 'E2E blog'
const PIN_TOKEN = 'e2e-pin-token'
export const ENV = { pin: 'E2E_PIN_TOKEN', tsig: 'E2E_TSIG_SECRET', agent: 'E2E_W3_PRINCIPAL', proof: 'E2E_W3_PROOF' } as const
/** The post a "one-post change" edits. */
const POST = join('site', 'posts', 'names-move-last.md')

export interface World {
  dir: string
  configFile: string
  store: string
  knot: Knot
  routers: RoutingServer[]
  pinServer: PinServerProcess
  w3up: W3upService
  /** The secrets, by the variable names the config gives. */
  env: Record<string, string>
  /** `ipfs-publish deploy --config <file> --json` as a child process, with `env` over the secrets. */
  deploy(env?: Record<string, string>): Promise<CliRun>
  /** Appends a paragraph to one post. */
  changePost(text: string): Promise<void>
  /** The site rendered in memory now: each file's size and a digest of its content. */
  render(): Promise<Map<string, { size: number; digest: string }>>
  /** What Knot serves at `_dnslink.<domain>` now. */
  dnslink(): Promise<string[]>
  /** The value of the IPNS record `router` holds for `name`, or undefined when it has none. */
  ipnsAt(router: RoutingServer, name: string): Promise<string | undefined>
  /** The site's pins as the pin-server's `GET /pins` lists them. */
  pins(): Promise<RemotePin[]>
  stop(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-e2e-deploy-'))
  const started: Array<{ stop(): Promise<void> }> = []
  const stop = async () => {
    await Promise.allSettled(started.map((s) => s.stop()))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    /** Keeps what started, so that `stop` ends it even if another start fails. */
    const track = <T extends { stop(): Promise<void> }>(service: T): T => {
      started.push(service)
      return service
    }
    const starting = [
      startPinServerProcess({ token: PIN_TOKEN, fetchTimeout: '30s' }).then(track),
      startW3upService().then((s) => {
        started.push({ stop: () => s.close() })
        return s
      }),
      startRoutingServer().then(track),
      startRoutingServer().then(track),
      startKnot(ZONE).then(track),
    ] as const
    // Every start settles first, so that when one fails all the others are in `started` to stop.
    await Promise.allSettled(starting)
    const [pinServer, w3up, r1, r2, knot] = await Promise.all(starting)
    const routers = [r1, r2]
    const { secrets } = await agentWithSpace(w3up)
    await cp(join(REPO, 'site'), join(dir, 'site'), { recursive: true })
    // The copy cannot import the project's defineSite from its new place: plain JSON instead.
    await rm(join(dir, 'site', 'site.config.ts'))
    await writeFile(join(dir, 'site', 'site.config.json'), JSON.stringify({ title: SITE_TITLE, baseUrl: `https://${DOMAIN}/` }))
    await writeFile(join(dir, 'package.json'), '{ "name": "e2e-deploy", "private": true, "type": "module" }\n')
    const config = {
      site: 'site',
      store: 'store',
      build: { out: 'dist' },
      targets: [
        { name: 'local', type: 'local' },
        { name: 'ours', type: 'pinning-service', endpoint: pinServer.url, tokenEnv: ENV.pin, timeout: '60s' },
        // Required: a deploy must not move names while any configured copy is missing.
        { name: 'w3up', type: 'storacha', agentKeyEnv: ENV.agent, proofEnv: ENV.proof, serviceUrl: w3up.url.href, serviceDid: w3up.did, timeout: '60s' },
      ],
      names: [
        { type: 'ipns', key: 'site', routers: routers.map((r) => r.url) },
        { type: 'dnslink', provider: 'rfc2136', domain: DOMAIN, server: knot.address, keyName: knot.key.name, secretEnv: ENV.tsig, authoritativeServers: [knot.address] },
      ],
    }
    const configFile = join(dir, 'publish.config.json')
    await writeFile(configFile, JSON.stringify(config, null, 2))
    const env = { [ENV.pin]: PIN_TOKEN, [ENV.tsig]: knot.key.secret, [ENV.agent]: secrets.key, [ENV.proof]: secrets.proof }
    return {
      dir,
      configFile,
      store: join(dir, 'store'),
      knot,
      routers,
      pinServer,
      w3up,
      env,
      // Not GitHub Actions even when the test runs there: the deploy must not report to the real API.
      deploy: (over = {}) => runCli(['deploy', '--config', configFile, '--json'], { cwd: dir, env: { GITHUB_ACTIONS: '', ...env, ...over }, timeoutMs: 180_000 }),
      changePost: async (text) => writeFile(join(dir, POST), `${await readFile(join(dir, POST), 'utf8')}\n\n${text}\n`),
      render: async () => {
        const built = await build({ site: join(dir, 'site'), root: dir, out: join(dir, 'dist'), dryRun: true })
        const files = new Map<string, { size: number; digest: string }>()
        for (const f of built.output ?? []) {
          // Copied assets are references to the site's files, which a post edit does not touch.
          const digest = f.content instanceof Uint8Array ? createHash('sha256').update(f.content).digest('hex') : `copied:${f.content.size}`
          files.set(f.path, { size: outputSize(f), digest })
        }
        return files
      },
      dnslink: async () => (await readTxt(parseServer(knot.address), `_dnslink.${DOMAIN}`)).texts,
      ipnsAt: async (router, name) => {
        const response = await fetch(`${router.url}/routing/v1/ipns/${name}`, { headers: { accept: 'application/vnd.ipfs.ipns-record' } })
        if (response.status === 404) return undefined
        if (!response.ok) throw new Error(`${router.url}: ${response.status} ${await response.text()}`)
        return unmarshalIPNSRecord(new Uint8Array(await response.arrayBuffer())).value
      },
      pins: () => serverPins(pinServer.url, PIN_TOKEN),
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
