/**
 * The embedded IPFS node. `openNode(store)` is what the CLI and `deploy` use; `createNode`
 * takes the stores injected, for tests and for callers that manage their own.
 */
export type { GcOptions, GcResult } from './gc.ts'
export { loadOrCreatePeerKey } from './keys.ts'
export type { Closable, EmbeddedNode, NodeComponents, NodeInit } from './types.ts'
export { createNode } from './node.ts'
export { openNode, peerKeyPath } from './open.ts'
export type { LocalPin, PinMetadata } from './pin-records.ts'
export type { PinOptions } from './pins.ts'
