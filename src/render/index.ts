/**
 * The blog renderer: `loadSite` reads a site folder, `renderSite` turns it into the files
 * of a static site (pure), `build.ts` writes them.
 */
export { defineSite } from './config.ts'
export { loadSite } from './load.ts'
export { type RenderedSite, renderSite } from './render.ts'
export type {
  AuthorConfig,
  FileRef,
  NavLink,
  OutputFile,
  ResolvedSiteConfig,
  SiteConfig,
  SiteSource,
  StaticFile,
  TextSource,
} from './types.ts'
