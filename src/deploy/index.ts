/**
 * `deploy`: build → pack (or import a CAR) → pin everywhere → verify → move the names →
 * record. This is where the safety rule of the whole pipeline is enforced: a name moves
 * only to a CID that every REQUIRED target reports `pinned` (check 1) and that `verify`
 * fetched back whole (check 2). Any earlier failure returns with every name untouched.
 * A re-run after a crash repeats the same steps: the store holds the packed blocks and the
 * pinners find their own pins, so nothing is uploaded or pinned twice.
 */
import { basename } from 'node:path'
import { CID } from 'multiformats/cid'
import { PIN_NAME_MAX_CHARS } from '../constants.ts'
import { DeployError } from '../errors.ts'
import type { DeployStage } from '../events.ts'
import type { NamePublisher } from '../name/index.ts'
import { type EmbeddedNode, openNode } from '../node/index.ts'
import { pinAll } from '../pin/pin-all.ts'
import { createPinners, type TargetComponents } from '../pin/targets.ts'
import type { Pinner, PinMeta } from '../pin/types.ts'
import { ipfsPathCid, liveCids, namesAs, publishNames, readNames } from './names.ts'
import { sweepDagBlocks } from './dag-blocks.ts'
import { readDeployRecord, recordDeploy } from './record.ts'
import { incremental, packSite, previousRoot, storeReader } from './source.ts'
import type { DeployAllProgressEvents, DeployNameResult, DeployOptions, DeployResult, DeployTargetResult } from './types.ts'
import { deployUrls, verifyGateways, verifySite } from './verify.ts'

export { toDeploySummary } from './summary.ts'
export type * from './types.ts'

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

function checkNames(site: string, preview: string | undefined): string {
  if (!LABEL.test(site)) throw new DeployError(`site: use letters, digits, '.', '_' and '-' (no '@'), got '${site}'`)
  if (preview === undefined) return site
  if (!LABEL.test(preview)) throw new DeployError(`preview: use letters, digits, '.', '_' and '-', got '${preview}'`)
  const name = `${site}@${preview}`
  if (name.length > PIN_NAME_MAX_CHARS) throw new DeployError(`preview: the pin name '${name}' is longer than ${PIN_NAME_MAX_CHARS} characters`)
  return name
}

function resolvePinners(options: DeployOptions, node: EmbeddedNode): readonly Pinner[] {
  const components: TargetComponents = {
    node,
    env: options.env ?? {},
    blockstore: storeReader(node),
    store: options.config.store,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  }
  const { pinners } = options
  if (pinners === undefined) return createPinners(options.config.targets, components)
  return typeof pinners === 'function' ? pinners(components) : pinners
}

function resolvePublishers(options: DeployOptions, node: EmbeddedNode): readonly NamePublisher[] {
  const { publishers } = options
  if (publishers === undefined || options.preview !== undefined) return []
  if (typeof publishers !== 'function') return publishers
  return publishers({ helia: node.helia, store: options.config.store, env: options.env ?? {}, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) })
}

function plannedTargets(pinners: readonly Pinner[], status: 'planned' | 'skipped'): DeployTargetResult[] {
  return pinners.map((p) => ({ name: p.name, required: p.required, status, timeMs: 0 }))
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const { config, signal } = options
  const warnings: string[] = []
  const emit = (event: DeployAllProgressEvents): void => {
    if (event.type === 'deploy:warning') warnings.push(event.detail.message)
    options.onProgress?.(event)
  }
  const site = options.site ?? basename(config.site)
  const pinName = checkNames(site, options.preview)
  const kind = options.preview === undefined ? ('production' as const) : ('preview' as const)
  const gateways = verifyGateways(config)

  emit({ type: 'deploy:stage', detail: { stage: 'node' } })
  // Online: pinning services fetch the blocks from this node while their pins are pending.
  const node = await openNode(config.store, { listen: config.node.listen, announce: config.node.announce, bootstrap: config.node.bootstrap, signal, onProgress: emit })
  try {
    // Both before the build, so a missing secret fails in a second, not after minutes of work.
    const pinners = resolvePinners(options, node)
    const publishers = resolvePublishers(options, node)
    const packed = await packSite(node, options, emit)
    const { cid } = packed

    emit({ type: 'deploy:stage', detail: { stage: 'previous' } })
    const states = await readNames(publishers, { signal })
    for (const s of states) if (s.error !== undefined) emit({ type: 'deploy:warning', detail: { message: `${s.publisher.name}: could not read its current value (${s.error})` } })
    const record = await readDeployRecord(config.store, site)
    const last = record.production[0]?.cid
    const current = states.map((s) => ipfsPathCid(s.previous)).filter((c) => c !== undefined)
    const previous = await previousRoot([...current, ...(last === undefined ? [] : [CID.parse(last)])], config.store, node)
    const figures = await incremental(node, config.store, packed, previous, emit, signal)
    emit({ type: 'deploy:incremental', detail: figures })

    const { source, files, bytes, blocks, dagBytes } = packed
    const head = {
      dryRun: options.dryRun === true,
      cid: cid.toString(),
      site,
      kind,
      ...(options.preview === undefined ? {} : { preview: options.preview }),
      ...(options.branch === undefined ? {} : { branch: options.branch }),
      ...(options.commit === undefined ? {} : { commit: options.commit }),
      source,
      files,
      bytes,
      blocks,
      dagBytes,
      ...(figures.previous === undefined ? {} : { previous: figures.previous }),
      newBlocks: figures.newBlocks,
      newBytes: figures.newBytes,
      reusedBytes: figures.reusedBytes,
      warnings,
    }
    const finish = (result: Omit<DeployResult, keyof typeof head | 'urls' | 'names'>, names: DeployNameResult[]): DeployResult => {
      const done: DeployResult = { ...head, ...result, names, urls: deployUrls(cid, gateways, names, kind === 'preview') }
      emit({ type: 'deploy:done', detail: { cid: done.cid, ok: done.ok, ...(done.stage === undefined ? {} : { stage: done.stage }), ...(done.error === undefined ? {} : { error: done.error }) } })
      return done
    }
    const stopped = (stage: DeployStage, error: string, targets: DeployTargetResult[], verify?: DeployResult['verify']): DeployResult =>
      finish({ ok: false, stage, error, targets, ...(verify === undefined ? {} : { verify }) }, namesAs(states, cid, 'skipped'))

    if (options.dryRun === true) return finish({ ok: true, targets: plannedTargets(pinners, 'planned') }, namesAs(states, cid, 'planned'))

    emit({ type: 'deploy:stage', detail: { stage: 'pin' } })
    const live = liveCids(states)
    const meta: PinMeta = {
      site,
      kind,
      ...(options.branch === undefined ? {} : { branch: options.branch }),
      ...(options.commit === undefined ? {} : { commit: options.commit }),
      ...(options.preview === undefined ? {} : { preview: options.preview }),
    }
    const request = {
      cid,
      name: pinName,
      meta,
      origins: node.addresses().map(String),
      ...(live === undefined ? {} : { live }),
      // Targets that take uploads send only what the previous production version lacks.
      ...(previous === undefined || previous.equals(cid) ? {} : { previous }),
      ...(kind === 'preview' && options.previewExpiresAt !== undefined ? { expiresAt: options.previewExpiresAt } : {}),
    }
    const pinned = await pinAll(pinners, request, { signal, onProgress: emit })
    const targets: DeployTargetResult[] = pinned.targets.map(({ target, required, status, timeMs, requestid, error, code, existing, replaced, uploadedBytes }) => ({
      name: target,
      required,
      status,
      timeMs,
      ...(requestid === undefined ? {} : { requestid }),
      ...(error === undefined ? {} : { error, ...(code === undefined ? {} : { code }) }),
      ...(existing === undefined ? {} : { existing }),
      ...(replaced === undefined ? {} : { replaced }),
      ...(uploadedBytes === undefined ? {} : { uploadedBytes }),
    }))
    // Safety rule, check 1: every required target holds the DAG.
    if (!pinned.ok) {
      const failed = targets.filter((t) => t.required && t.status !== 'pinned')
      const why = failed.map((t) => `${t.name}: ${t.error ?? 'not pinned'}`).join('; ')
      return stopped('pin', `required target${failed.length === 1 ? '' : 's'} did not pin ${cid} (${why}); no name was moved. Fix the target and run deploy again: packed blocks and finished pins are reused`, targets)
    }

    emit({ type: 'deploy:stage', detail: { stage: 'verify' } })
    const verify = await verifySite(node, cid, { gateways, ...(options.fetch === undefined ? {} : { fetch: options.fetch }), signal, emit })
    // Safety rule, check 2: the whole DAG came back, every block hash-checked.
    if (!verify.ok) {
      const why = verify.gateways.filter((g) => !g.ok).map((g) => `${g.url}: ${g.error ?? 'incomplete'}`).join('; ')
      return stopped('verify', `${cid} did not come back whole (${why}); no name was moved. Check the gateways and run deploy again`, targets, verify)
    }

    emit({ type: 'deploy:stage', detail: { stage: 'name' } })
    const names = await publishNames(states, cid, { signal, onProgress: emit })
    const failedNames = names.filter((n) => n.status === 'failed')

    emit({ type: 'deploy:stage', detail: { stage: 'record' } })
    const time = new Date((options.now ?? Date.now)()).toISOString()
    const entry = { cid: cid.toString(), time, ...(meta.branch === undefined ? {} : { branch: meta.branch }), ...(meta.commit === undefined ? {} : { commit: meta.commit }) }
    const file = await recordDeploy(config.store, site, { ...entry, names: names.map(({ kind: k, name, previous: p, status }) => ({ kind: k, name, status, ...(p === undefined ? {} : { previous: p }) })) }, options.preview)
    await sweepDagBlocks(config.store, [entry.cid])
    if (failedNames.length > 0) {
      const why = failedNames.map((n) => `${n.name}: ${n.error ?? 'failed'}`).join('; ')
      const error = `${failedNames.length} of ${names.length} name(s) did not move (${why}); the site is pinned and verified, so run deploy again to retry them (nothing is uploaded again)`
      return finish({ ok: false, stage: 'name', error, targets, verify, record: file }, names)
    }
    return finish({ ok: true, targets, verify, record: file }, names)
  } finally {
    await node.stop()
  }
}
