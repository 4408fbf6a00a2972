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

/**
 * The gateway frames a CAR response into chunks of about this size: one socket write
 * per chunk rather than per block (a site has tens of thousands of blocks).
 */
export const GATEWAY_CAR_CHUNK_BYTES = 1024 * 1024

/** A CAR chunk that has waited this long for blocks is sent unfilled, so a slow source still streams. */
export const GATEWAY_CAR_FLUSH_MS = 20

/** Block reads a CAR response keeps in flight ahead of the one it is sending. */
export const GATEWAY_READ_AHEAD_BLOCKS = 16

/** Bytes of blocks a CAR response may hold read ahead of what it has sent. */
export const GATEWAY_READ_AHEAD_BYTES = 16 * 1024 * 1024

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

/** The render cache's folder in the store: rendered posts and pages kept between builds. */
export const RENDER_CACHE_DIR = 'render-cache'

/** The render cache's entries are read from disk in windows of this size (most entries are read in order). */
export const RENDER_CACHE_READ_WINDOW_BYTES = 1024 * 1024

/** The render cache's entries are written to disk in chunks of about this size. */
export const RENDER_CACHE_WRITE_BUFFER_BYTES = 4 * 1024 * 1024

/** At most this many segment files in the render cache; beyond it, the smallest are merged into the next. */
export const RENDER_CACHE_MAX_SEGMENTS = 8

/** A segment of the render cache less live than this (a fraction of its bytes) is rewritten into the next. */
export const RENDER_CACHE_MIN_LIVE = 0.5

/** A temporary file this old in the render cache is left from a build that died: it is removed. */
export const RENDER_CACHE_STALE_TEMP_MS = 60 * 60 * 1000

/** The IPNS key `start` publishes the site under, created on first use in the store's keys folder. */
export const DEFAULT_IPNS_KEY = 'site'

/** Key files of the IPNS keystore are `<store>/keys/<name>` plus this. */
export const IPNS_KEY_FILE_EXTENSION = '.key'

/** How long a published IPNS record stays valid (its EOL): 30 days, so a site that is not republished still resolves for a month. */
export const IPNS_RECORD_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

/** How long resolvers may cache an IPNS record before asking again: 5 minutes, so a new deploy shows within minutes. */
export const IPNS_RECORD_TTL_MS = 5 * 60 * 1000

/** A CAR is written (and `exportCar` yields) in chunks of about this size: few, large writes. */
export const CAR_CHUNK_BYTES = 4 * 1024 * 1024

/** Where `ipfs-publish pin-server` listens for HTTP when `--host` is not given: loopback only (bearer tokens travel in clear). */
export const DEFAULT_PIN_SERVER_HOST = '127.0.0.1'

/** The pin server's HTTP port when `--port` is not given. */
export const DEFAULT_PIN_SERVER_PORT = 5050

/** The pin server's records (one JSON file per pin request), inside the store folder. */
export const PIN_SERVER_DIR = 'pin-server'

/** A pin whose DAG is not all fetched from its origins after this long fails (the client's own default wait is 10 minutes too). */
export const PIN_SERVER_FETCH_TIMEOUT_MS = 10 * 60 * 1000

/** How many pins the server fetches at once; the others wait `queued`. */
export const PIN_SERVER_MAX_CONCURRENT_FETCHES = 4

/** A request body larger than this is refused with 413: a Pin object with 20 origins and a large `meta` is far smaller. */
export const PIN_SERVER_MAX_BODY_BYTES = 256 * 1024

/** A request whose headers and body have not all arrived after this long is cut (slow clients cannot hold sockets). */
export const PIN_SERVER_REQUEST_TIMEOUT_MS = 30_000

/** The Pinning Service API's limits (ipfs-pinning-service.yaml v1.0.0). */
export const PINNING_API_LIMITS = {
  /** `limit` of `GET /pins`: default and maximum. */
  defaultLimit: 10,
  maxLimit: 1000,
  /** CIDs in one `cid` filter. */
  maxCidFilter: 10,
  /** `Pin.name` and the `name` filter. */
  maxNameLength: 255,
  /** `Pin.origins` and `PinStatus.delegates`. */
  maxAddresses: 20,
  /** Keys of `Pin.meta` (and of `PinStatus.info`). */
  maxMetaKeys: 1000,
} as const

/** Tokens shorter than this are accepted with a warning: a bearer token is the only thing between the internet and the server's disk. */
export const PIN_SERVER_MIN_TOKEN_LENGTH = 16

/** The TTL (seconds) of a DNSLink TXT record this tool creates: resolvers see the next deploy within 5 minutes. Existing records keep theirs. */
export const DNSLINK_TTL_SECONDS = 300

/** How long a DNS query (UDP, or TCP after truncation) to one server may take before it counts as failed. */
export const DNS_QUERY_TIMEOUT_MS = 5_000

/** The UDP payload size offered in EDNS: the DNS flag day 2020 value, which avoids IP fragmentation. */
export const DNS_UDP_PAYLOAD_BYTES = 1232

/** How far a TSIG-signed message's time may differ from the server's clock (RFC 8945 recommends 300 s). */
export const TSIG_FUDGE_SECONDS = 300

/** How long to wait, after a DNSLink update, for every authoritative server to answer the new value. */
export const DNSLINK_PROPAGATION_TIMEOUT_MS = 120_000

/** The first re-check of the authoritative servers waits this long; each further one doubles it. */
export const DNSLINK_PROPAGATION_MIN_DELAY_MS = 250

/** No re-check of the authoritative servers waits longer than this. */
export const DNSLINK_PROPAGATION_MAX_DELAY_MS = 5_000

/** Cloudflare's API (v4); tests point the publisher at a local server instead. */
export const CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4'

/** DNSimple's API (v2); `https://api.sandbox.dnsimple.com/v2` is its sandbox. */
export const DNSIMPLE_API_URL = 'https://api.dnsimple.com/v2'

/** Records asked for per page when listing a DNS provider's records (Cloudflare and DNSimple both accept 100). */
export const DNS_API_PAGE_SIZE = 100

/** How long a DNS provider's API may take to send response headers. */
export const DNS_API_TIMEOUT_MS = 30_000

/** The pin targets when the config has no `targets`: the embedded node alone, so a fresh clone needs no account. */
export const DEFAULT_PIN_TARGETS = [{ name: 'local', type: 'local' }] as const

/** How long a pinning service may take to reach `pinned` (fetching the DAG from our node) before the target counts as failed. */
export const PIN_TIMEOUT_MS = 10 * 60 * 1000

/** How long one Pinning Service API request may take (headers and body) before it is retried. */
export const PIN_REQUEST_TIMEOUT_MS = 30_000

/**
 * The first status check of a pending pin waits this long; each further one waits
 * PIN_POLL_GROWTH times longer. Short at first: a redeploy's pin often settles within a
 * second or two (the service has most blocks), and a long first wait would be most of it.
 */
export const PIN_POLL_MIN_INTERVAL_MS = 250

/** How much longer each status check of a pending pin waits than the one before. */
export const PIN_POLL_GROWTH = 1.5

/** No two status checks of a pending pin are further apart than this. */
export const PIN_POLL_MAX_INTERVAL_MS = 30_000

/** Time allowed to connect to one of the service's `delegates` (best effort: the service may find us anyway). */
export const PIN_DELEGATE_DIAL_TIMEOUT_MS = 30_000

/** The Pinning Service API allows at most 20 `origins` per pin. */
export const PIN_MAX_ORIGINS = 20

/** Page size when listing pins (the Pinning Service API's maximum `limit`). */
export const PIN_LIST_PAGE_SIZE = 1000

/** A pin's name is at most this long (the Pinning Service API's `maxLength`). */
export const PIN_NAME_MAX_CHARS = 255

/** Error details from a service are cut to this many characters (some send whole stack traces). */
export const PIN_ERROR_DETAILS_MAX_CHARS = 300

/** Production pins per site and target that `prune` keeps when `--keep` is not given (the live one and room to roll back). */
export const PRUNE_KEEP_DEFAULT = 3

/** Preview pins older than this are removed by `prune` when `--previews-older-than` is not given. */
export const PRUNE_PREVIEW_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000

/** The media type of a marshaled IPNS record, in both directions of the delegated routing API. */
export const IPNS_RECORD_CONTENT_TYPE = 'application/vnd.ipfs.ipns-record'

/** IPNS records larger than this are invalid (the IPNS record spec's limit, which every validator applies). */
export const IPNS_RECORD_MAX_BYTES = 10 * 1024

/** How long a delegated routing endpoint has to answer one IPNS GET or PUT (each retry gets as long again). */
export const IPNS_ROUTER_TIMEOUT_MS = 30_000

/** How much of a router's error body a message quotes: enough for its reason, not a whole HTML page. */
export const ROUTER_ERROR_EXCERPT_CHARS = 200

/**
 * The w3up client's built-in service, used by a `storacha` target without `serviceUrl`.
 * Storacha's hosted service stopped accepting writes in 2026: uploads need a self-hosted one.
 */
export const STORACHA_HOSTED_SERVICE_URL = 'https://up.web3.storage'

/** The hosted service's DID (not derived from its host name, unlike a self-hosted one's default). */
export const STORACHA_HOSTED_SERVICE_DID = 'did:web:web3.storage'

/** Bytes per CAR shard uploaded to a w3up service: the client's own default (each shard is held in memory while sent). */
export const STORACHA_SHARD_SIZE = 133_169_152

/** The smallest `shardSize` accepted: a CAR header and one small block. A block larger than the shard size fails the upload. */
export const STORACHA_MIN_SHARD_SIZE = 1024

/** How many times a receipt the service has not written yet (404) is asked for again, with backoff. */
export const STORACHA_RECEIPT_POLLS = 10

/** Uploads asked for per page when listing a w3up space. */
export const STORACHA_LIST_PAGE_SIZE = 100

/**
 * The `storacha` target's upload records, inside the store folder: the sharded DAG index of
 * each upload (`<root>.car`), so the next deploy knows where every old block sits and sends
 * only the new ones.
 */
export const STORACHA_RECORD_DIR = 'storacha'

/** Upload records kept, newest first (one per deploy; the one a deploy builds on is refreshed by use). */
export const STORACHA_RECORDS_KEPT = 20

/** The REST API of github.com, used when `GITHUB_API_URL` is unset (GitHub Enterprise Server sets its own). */
export const GITHUB_DEFAULT_API_URL = 'https://api.github.com'

/** github.com's web address, used when `GITHUB_SERVER_URL` is unset. */
export const GITHUB_DEFAULT_SERVER_URL = 'https://github.com'

/** The environment variable the deploy job puts the workflow's token in (`env: GITHUB_TOKEN: ${{ github.token }}`). */
export const GITHUB_TOKEN_ENV = 'GITHUB_TOKEN'

/** How long the GitHub API has to answer one request (each retry gets as long again). */
export const GITHUB_API_TIMEOUT_MS = 30_000

/** Commit statuses are named `<prefix>/production` and `<prefix>/preview`. */
export const GITHUB_STATUS_CONTEXT_PREFIX = 'ipfs-publish'

/** GitHub cuts a commit status's description at this many characters; we cut it ourselves, with an ellipsis. */
export const GITHUB_STATUS_DESCRIPTION_MAX = 140

/** The hidden line that marks our preview comment, so each push updates it instead of adding another. */
export const GITHUB_PREVIEW_COMMENT_MARKER = '<!-- ipfs-publish:preview -->'

/** Comments fetched per page while looking for our earlier one (the API's maximum). */
export const GITHUB_COMMENTS_PER_PAGE = 100

/** How a `GITHUB_OUTPUT` heredoc delimiter starts (as @actions/core writes it); a random UUID follows. */
export const GITHUB_OUTPUT_DELIMITER_PREFIX = 'ghadelimiter_'

/** Deploy records live in `<store>/deploys/<site>.json`: the production history and the previews. */
export const DEPLOY_RECORD_DIR = 'deploys'

/** Each packed root's block list, `<store>/dags/<cid>.blocks`, what the next deploy diffs against. */
export const DAG_BLOCKS_DIR = 'dags'

/** Production deploys kept in a site's deploy record, newest first (older ones are dropped). */
export const DEPLOY_HISTORY_MAX = 50
