import type { Blockstore } from 'interface-blockstore'
import { CID_PROFILES } from '../config/index.ts'
import { PackError } from '../errors.ts'
import type { AbortOptions, PackProgressEvents, ProgressOptions } from '../events.ts'
import { CID_PROFILE_TABLE, type CidProfile, type CidProfileName, DEFAULT_CID_PROFILE } from './profiles.ts'

/** What pack writes to and reads from; injected so tests and the node share one store. */
export interface PackComponents {
  blockstore: Pick<Blockstore, 'put' | 'get' | 'has'>
}

export interface PackOptions extends PackComponents, AbortOptions, ProgressOptions<PackProgressEvents> {
  /**
   * The CID profile (IPIP-499): chunking, DAG layout, CID version.
   * @default 'unixfs-v1-2025'
   */
  profile?: CidProfileName
  /**
   * Pack hidden files and folders (names starting with a dot). `.git`, `.env` and
   * `.env.*` are never packed.
   * @default false
   */
  hidden?: boolean
  /** Also write the DAG as a CARv1 file at this path. @default undefined (no CAR) */
  car?: string
}

export interface NormalizedPackOptions {
  blockstore: PackComponents['blockstore']
  profile: CidProfile
  hidden: boolean
  car: string | undefined
  signal: AbortSignal | undefined
  onProgress: ((event: PackProgressEvents) => void) | undefined
}

export function normalizePackOptions(options: PackOptions): NormalizedPackOptions {
  const blockstore = options.blockstore as PackComponents['blockstore'] | undefined
  if (blockstore === undefined || typeof blockstore.put !== 'function') {
    throw new PackError('`blockstore` must be a Blockstore (put/get/has), for example the one openBlockstore() returns')
  }
  const name = options.profile ?? DEFAULT_CID_PROFILE
  if (!(CID_PROFILES as readonly string[]).includes(name)) {
    throw new PackError(`\`profile\` must be one of ${CID_PROFILES.map((p) => `'${p}'`).join(', ')}, got '${String(name)}'`)
  }
  if (options.hidden !== undefined && typeof options.hidden !== 'boolean') {
    throw new PackError(`\`hidden\` must be true or false, got ${typeof options.hidden}`)
  }
  if (options.car !== undefined && (typeof options.car !== 'string' || options.car === '')) {
    throw new PackError('`car` must be the path of the CAR file to write')
  }
  return {
    blockstore,
    profile: CID_PROFILE_TABLE[name],
    hidden: options.hidden ?? false,
    car: options.car,
    signal: options.signal,
    onProgress: options.onProgress,
  }
}
