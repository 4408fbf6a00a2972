/**
 * The render cache: each post's rendered Markdown and each finished page, kept between
 * builds (under `<store>/render-cache/`) so a rebuild renders only what changed.
 */
export { RenderCache } from './cache.ts'
export type { CachedMarkdown } from './entries.ts'
export { type OpenRenderCacheOptions, openRenderCache } from './open.ts'
export { RENDER_PACKAGES, renderFingerprint } from './fingerprint.ts'
export { type PageCache, pageCache } from './pages.ts'
export type { RenderCacheSummary } from './save.ts'
