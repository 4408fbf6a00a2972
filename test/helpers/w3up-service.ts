/**
 * The real w3up upload service (`@web3-storage/upload-api`'s test context: the same UCAN
 * handlers as the hosted service, over in-memory tables) behind node:http on loopback,
 * so the `storacha` pinner is tested against the protocol itself, not a mock of it.
 *
 * Routes: `POST /` takes a UCAN agent message (a CAR) and answers with the receipts,
 * exactly as the hosted endpoint does; `GET /receipt/<task CID>` returns a stored receipt
 * (the client polls it for `blob/accept`). Blob PUTs go to the context's own in-memory
 * "S3" bucket, which checks the presigned checksum like S3 does.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { delegate, Message } from '@ucanto/core'
import type { Capabilities, Delegation } from '@ucanto/interface'
import * as Signer from '@ucanto/principal/ed25519'
import { CAR } from '@ucanto/transport'
import { cleanupContext, createContext } from '@web3-storage/upload-api/test/context'
import { create as createClient } from '@web3-storage/w3up-client'
import type { Client } from '@web3-storage/w3up-client/client'
import { StoreMemory } from '@web3-storage/w3up-client/stores/memory'
import type { ServiceAbility } from '@web3-storage/w3up-client/types'
import { base64 } from 'multiformats/bases/base64'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { w3upConnection } from '../../src/pin/storacha-connection.ts'

type TestContext = Awaited<ReturnType<typeof createContext>>

/** What CI delegates to its agent key (`w3 delegation create -c ...`), plus what list/unpin need. */
export const CI_ABILITIES: ServiceAbility[] = [
  'space/blob/add',
  'space/index/add',
  'filecoin/offer',
  'upload/add',
  'upload/get',
  'upload/list',
  'upload/remove',
]

/** The multicodec of a CAR, which `w3 delegation create --base64` wraps the archive in. */
const CAR_CODEC = 0x0202

export interface W3upService {
  /** The UCAN endpoint. */
  url: URL
  receiptsUrl: URL
  /** The service's DID, `did:web:test.web3.storage`. */
  did: `did:${string}:${string}`
  context: TestContext
  /** Errors the service reported about itself (a handler threw); a test expects none. */
  errors: unknown[]
  /** Requests answered, by route, e.g. `POST /`, `GET /receipt`. */
  requests: Map<string, number>
  close(): Promise<void>
}

/**
 * The context binds its blob bucket and claims servers to every interface; this `http`
 * keeps them on loopback, where the tests' traffic belongs.
 */
const loopbackHttp: typeof http = {
  ...http,
  createServer: ((...args: Parameters<typeof http.createServer>) => {
    const server = http.createServer(...args)
    const listen = server.listen.bind(server)
    server.listen = ((callback?: () => void) => listen(0, '127.0.0.1', callback)) as typeof server.listen
    return server
  }) as typeof http.createServer,
}

export async function startW3upService(): Promise<W3upService> {
  const errors: unknown[] = []
  const requests = new Map<string, number>()
  const context = await createContext({ http: loopbackHttp, requirePaymentPlan: false, assert: { fail: (e) => errors.push(e) } })
  const server = http.createServer((req, res) => {
    handle(context, req, res, requests).catch((err: unknown) => {
      errors.push(err)
      res.writeHead(500).end(String(err))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = new URL(`http://127.0.0.1:${port}/`)
  return {
    url,
    receiptsUrl: new URL('/receipt/', url),
    did: context.id.did(),
    context,
    errors,
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
      await cleanupContext(context)
    },
  }
}

async function handle(context: TestContext, req: http.IncomingMessage, res: http.ServerResponse, requests: Map<string, number>) {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const route = `${req.method} ${path.startsWith('/receipt/') ? '/receipt' : path}`
  requests.set(route, (requests.get(route) ?? 0) + 1)
  if (req.method === 'POST' && path === '/') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    const out = await context.connection.channel.request({ headers, body: Buffer.concat(chunks) })
    res.writeHead(200, out.headers).end(out.body)
    return
  }
  if (req.method === 'GET' && path.startsWith('/receipt/')) {
    const found = await context.agentStore.receipts.get(CID.parse(path.slice('/receipt/'.length)))
    if (found.error) return void res.writeHead(404).end()
    const message = await Message.build({ receipts: [found.ok] })
    const encoded = CAR.request.encode(message)
    res.writeHead(200, encoded.headers).end(encoded.body)
    return
  }
  res.writeHead(404).end()
}

/** A w3up client for the space owner (the laptop), talking to `service` over HTTP. */
export function ownerClient(service: W3upService): Promise<Client> {
  const connection = w3upConnection({ url: service.url, did: service.did })
  return createClient({
    store: new StoreMemory(),
    serviceConf: { access: connection, upload: connection, filecoin: connection },
    receiptsEndpoint: service.receiptsUrl,
  })
}

export interface SpaceForCi {
  space: `did:key:${string}`
  /** The base64 delegation proof, as `w3 delegation create <agent> -c ... --base64` prints it. */
  proof: string
}

/**
 * What a site owner does once before CI can deploy: log in by email (the link in the
 * email is "clicked" through the service), create a space provisioned with the service
 * (unless `provision: false`), and delegate upload abilities to the CI agent's DID.
 */
export async function spaceForCi(
  service: W3upService,
  options: { agent: string; email?: `${string}@${string}`; provision?: boolean; abilities?: ServiceAbility[]; expiration?: number },
): Promise<SpaceForCi> {
  const owner = await ownerClient(service)
  const login = owner.login(options.email ?? 'owner@site.example')
  await service.context.grantAccess(await service.context.mail.take())
  const account = await login
  const space = await owner.createSpace('site', {
    skipGatewayAuthorization: true,
    ...(options.provision === false ? {} : { account }),
  })
  await owner.addSpace(await space.createAuthorization(owner))
  await owner.setCurrentSpace(space.did())
  const delegation = await owner.createDelegation({ did: () => options.agent as `did:key:${string}` }, options.abilities ?? CI_ABILITIES, {
    expiration: options.expiration ?? Number.POSITIVE_INFINITY,
  })
  return { space: space.did(), proof: await toBase64Proof(delegation) }
}

/** A delegation of `space`'s upload abilities signed by someone who does not own it: the service must refuse it. */
export async function forgedProof(space: `did:key:${string}`, agent: string): Promise<string> {
  const stranger = await Signer.generate()
  const delegation = await delegate({
    issuer: stranger,
    audience: { did: () => agent as `did:key:${string}` },
    capabilities: CI_ABILITIES.map((can) => ({ with: space, can })) as unknown as Capabilities,
    expiration: Number.POSITIVE_INFINITY,
  })
  return toBase64Proof(delegation)
}

async function toBase64Proof(delegation: Pick<Delegation, 'archive'>): Promise<string> {
  const archive = await delegation.archive()
  if (archive.ok === undefined) throw new Error('the delegation could not be archived', { cause: archive.error })
  return CID.createV1(CAR_CODEC, identity.digest(archive.ok)).toString(base64)
}
