/** Named defaults, in one place. */

/** Where the CLI looks for the publish configuration when `--config` is not given. */
export const DEFAULT_CONFIG_FILES = ['pipeline/publish.config.ts', 'pipeline/publish.config.json'] as const

/** The blog's source folder, relative to the project root. */
export const DEFAULT_SITE_DIR = 'site'

/** Where `build` writes the rendered site, relative to the project root. */
export const DEFAULT_OUT_DIR = 'dist'

/** The embedded node's state (blocks, pins, keys), relative to the project root. */
export const DEFAULT_STORE_DIR = '.ipfs-publish'

/** Site config file names, looked up in the site folder in this order. */
export const SITE_CONFIG_FILES = ['site.config.ts', 'site.config.json'] as const
