/**
 * The CID profiles of IPIP-499, in one table. The importer gets the profile name (it
 * knows the chunking and layout) and, explicitly, the values whose importer defaults
 * differ from the spec: its default `links-bytes` size estimate leaves a directory one
 * byte over the threshold flat, which gives the wrong CID.
 */
import type { CidProfileName } from '../config/index.ts'

export type { CidProfileName } from '../config/index.ts'

export interface CidProfile {
  name: CidProfileName
  cidVersion: 0 | 1
  /** Fixed chunk size of file data. */
  chunkSize: number
  /** Links per node of the balanced file DAG. */
  maxLinksPerNode: number
  /** File data in raw blocks rather than UnixFS-wrapped dag-pb leaves. */
  rawLeaves: boolean
  /** A directory whose block would be larger than this becomes a HAMT. */
  hamtThresholdBytes: number
  /** Children per HAMT node. */
  hamtFanout: number
  /** How the directory size is judged against the threshold. */
  shardSplitStrategy: 'block-bytes' | 'links-bytes'
}

export const UNIXFS_V1_2025: CidProfile = {
  name: 'unixfs-v1-2025',
  cidVersion: 1,
  chunkSize: 1024 * 1024,
  maxLinksPerNode: 1024,
  rawLeaves: true,
  hamtThresholdBytes: 256 * 1024,
  hamtFanout: 256,
  shardSplitStrategy: 'block-bytes',
}

/** What go-ipfs did from 2015: kept so that old sites keep their CIDs. */
export const UNIXFS_V0_2015: CidProfile = {
  name: 'unixfs-v0-2015',
  cidVersion: 0,
  chunkSize: 256 * 1024,
  maxLinksPerNode: 174,
  rawLeaves: false,
  hamtThresholdBytes: 256 * 1024,
  hamtFanout: 256,
  shardSplitStrategy: 'links-bytes',
}

export const CID_PROFILE_TABLE: Readonly<Record<CidProfileName, CidProfile>> = {
  'unixfs-v1-2025': UNIXFS_V1_2025,
  'unixfs-v0-2015': UNIXFS_V0_2015,
}

export const DEFAULT_CID_PROFILE: CidProfileName = 'unixfs-v1-2025'
