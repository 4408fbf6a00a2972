/**
 * The pin stage: one `Pinner` per target, all driven the same way. `pinAll` pins to
 * every target at once; `prune` removes old deploys' pins, never the current one.
 */
export type {
  Pinner,
  PinKind,
  PinMeta,
  PinOptions,
  PinProgressEvents,
  PinRequest,
  PinResult,
  PinStatus,
  PruneProgressEvents,
  RemotePin,
} from './types.ts'
export { createLocalPinner, type LocalPinnerComponents, type LocalPinnerInit } from './local.ts'
export { createPinningServicePinner, type PinningServiceComponents, type PinningServiceInit } from './pinning-service.ts'
export { createStorachaPinner, type StorachaComponents, type StorachaInit } from './storacha.ts'
export { type PinAllOptions, type PinAllResult, type PinTargetResult, pinAll } from './pin-all.ts'
export { type PruneOptions, type PrunePlan, type PruneResult, type PruneTargetResult, planPrune, prune } from './prune.ts'
export { createPinner, createPinners, PINNER_FACTORIES, type TargetComponents } from './targets.ts'
