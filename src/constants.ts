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

/** Posts per page on the home and tag pages when the site config does not say. */
export const DEFAULT_POSTS_PER_PAGE = 10

/** Where a post goes when the site config has no `permalink` pattern. */
export const DEFAULT_POST_PERMALINK = '/posts/:slug/'

/** The site language when the site config has no `language`. */
export const DEFAULT_SITE_LANGUAGE = 'en'

/** How many of the newest posts the RSS, Atom and JSON feeds carry. */
export const FEED_ITEMS = 20

/** Reading speed used for a post's reading time, in words per minute. */
export const READING_WORDS_PER_MINUTE = 220

/** A summary taken from a post's first paragraph is cut at a word boundary near this length. */
export const SUMMARY_MAX_CHARS = 280

/** Where the embedded node listens for libp2p connections: loopback, any free port. */
export const DEFAULT_NODE_LISTEN = ['/ip4/127.0.0.1/tcp/0'] as const

/** The embedded node's LevelDB datastore (pins, IPNS records), inside the store folder. */
export const NODE_DATASTORE_DIR = 'datastore'

/** Private keys (mode 0600), inside the store folder. */
export const NODE_KEYS_DIR = 'keys'

/** The embedded node's libp2p identity, inside the keys folder; its PeerID must not change between runs. */
export const NODE_PEER_KEY_FILE = 'peer.key'

/** How many blocks a pin or a garbage collection reads (or fetches) at once while walking a DAG. */
export const DAG_WALK_CONCURRENCY = 16

/** Further attempts after a failed HTTP request (network error, 408, 429, 5xx) before giving up. */
export const HTTP_RETRIES = 3

/** The first retry waits about this long; each further one doubles it (with jitter). */
export const HTTP_RETRY_MIN_DELAY_MS = 250

/** No retry waits longer than this, however many attempts came before. */
export const HTTP_RETRY_MAX_DELAY_MS = 10_000

/** A `Retry-After` longer than this ends the retries instead of stalling the run. */
export const HTTP_MAX_RETRY_AFTER_MS = 60_000

/** How long `verify` waits for a gateway's response headers, or between two chunks of a body. */
export const VERIFY_REQUEST_TIMEOUT_MS = 30_000

/** How many raw block requests `verify` keeps in flight per gateway. */
export const VERIFY_CONCURRENCY = 8

/** A raw block larger than this is refused: Bitswap's limit is 2 MiB, so no honest block is bigger. */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024

/** Where `ipfs-publish serve` listens when `--host` is not given: loopback only. */
export const DEFAULT_GATEWAY_HOST = '127.0.0.1'

/** The gateway's port when `--port` is not given; the next free one is taken if it is busy. */
export const DEFAULT_GATEWAY_PORT = 8080

/** How many ports after the default `serve` tries before giving up. */
export const GATEWAY_PORT_ATTEMPTS = 20

/** Domains whose `<cid>.ipfs.<domain>` subdomains the gateway serves (browsers resolve `*.localhost` to loopback). */
export const DEFAULT_GATEWAY_SUBDOMAIN_HOSTS = ['localhost'] as const

/** A request gives up after this long without progress (resolving, or producing the next bytes). */
export const GATEWAY_TIMEOUT_MS = 30_000

/** `Cache-Control` for everything under `/ipfs/`: the gateway specs' value for immutable content. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=29030400, immutable'

/** `Retry-After` (seconds) sent with 502 and 504, so clients do not hammer a gateway that lacks the content. */
export const GATEWAY_RETRY_AFTER_SECONDS = 30

/** DNSLink chains (`/ipns/a` → `/ipns/b` → ...) longer than this are refused (the DNSLink gateway spec's limit). */
export const DNSLINK_MAX_RECURSION = 32

/** How long a DNSLink answer is reused before asking DNS again. */
export const DNSLINK_CACHE_MS = 60_000

/** A `_redirects` file larger than this is an error (the web redirects file spec's limit). */
export const REDIRECTS_FILE_MAX_BYTES = 64 * 1024

/** How many output files `build` writes at once (small files: the latency of each write dominates). */
export const WRITE_CONCURRENCY = 32

/** Sites with at least this many posts render their Markdown on worker threads (below it, starting them costs more than it saves). */
export const PARALLEL_RENDER_MIN_POSTS = 200

/** At most this many Markdown worker threads, however many cores the machine has. */
export const RENDER_WORKERS_MAX = 8

/** Posts sent to a Markdown worker thread per message. */
export const MARKDOWN_BATCH_POSTS = 8

/** The young generation of each Markdown worker thread's heap, in MiB (peak memory of large builds). */
export const RENDER_WORKER_YOUNG_GENERATION_MB = 8

/** The IPNS key `start` publishes the site under, created on first use in the store's keys folder. */
export const DEFAULT_IPNS_KEY = 'site'

/** Key files of the IPNS keystore are `<store>/keys/<name>` plus this. */
export const IPNS_KEY_FILE_EXTENSION = '.key'

/** How long a published IPNS record stays valid (its EOL): 30 days, so a site that is not republished still resolves for a month. */
export const IPNS_RECORD_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

/** How long resolvers may cache an IPNS record before asking again: 5 minutes, so a new deploy shows within minutes. */
export const IPNS_RECORD_TTL_MS = 5 * 60 * 1000
