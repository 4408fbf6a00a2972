/**
 * The pack stage: a file tree in, a UnixFS DAG with a root CID out, stored in a
 * blockstore and optionally written as a CAR.
 */
export { type CarStats, type ExportCarOptions, exportCar, writeCar } from './car.ts'
export { type DiffOptions, type DiffResult, diff } from './diff.ts'
export { type NormalizedPackOptions, normalizePackOptions, type PackComponents, type PackOptions } from './options.ts'
export { importerOptions, type PackResult, type PackSource, pack } from './pack.ts'
export {
  CID_PROFILE_TABLE,
  type CidProfile,
  type CidProfileName,
  DEFAULT_CID_PROFILE,
  UNIXFS_V0_2015,
  UNIXFS_V1_2025,
} from './profiles.ts'
