/**
 * Content roots and names as they appear in URLs and DNS labels: CIDs in the forms a
 * subdomain can carry, IPNS keys, and DNSLink names inlined into one DNS label.
 */
import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { HttpError } from './http-error.ts'

/** Multicodec of a libp2p public key, the codec of IPNS names as CIDs. */
const LIBP2P_KEY = 0x72
/** The longest DNS label (RFC 1035). */
const DNS_LABEL_MAX = 63

/** Parses a CID in any multibase the gateway accepts; undefined when it is not one. */
export function parseCid(text: string): CID | undefined {
  try {
    return text.startsWith('k') ? CID.parse(text, base36) : CID.parse(text)
  } catch {
    return undefined
  }
}

/** Parses the root of an `/ipfs/` path; a malformed CID is the client's mistake (400). */
export function requireCid(text: string): CID {
  const cid = parseCid(text)
  if (cid === undefined) throw new HttpError(400, `'${text}' is not a valid CID`)
  return cid
}

/**
 * An IPNS key as a CIDv1 with the libp2p-key codec, from a peer ID (`12D3Koo…`, `Qm…`) or
 * a CID (`k51…`, `bafz…`); undefined when the name is not a key (it may be a DNSLink name).
 */
export function parseIpnsKey(name: string): CID | undefined {
  if (/^(1|Qm)[1-9A-HJ-NP-Za-km-z]+$/.test(name)) {
    try {
      return CID.createV1(LIBP2P_KEY, Digest.decode(base58btc.baseDecode(name)))
    } catch {
      return undefined
    }
  }
  const cid = parseCid(name)
  return cid !== undefined && cid.code === LIBP2P_KEY ? cid.toV1() : undefined
}

/** The DNSLink label encoding of the subdomain gateway spec: `-` → `--`, then `.` → `-`. */
export function inlineDnslink(domain: string): string {
  return domain.replaceAll('-', '--').replaceAll('.', '-')
}

/** Reverses `inlineDnslink`: a lone `-` is a dot, `--` a hyphen. */
export function uninlineDnslink(label: string): string {
  return label.replace(/--|-/g, (m) => (m === '--' ? '-' : '.'))
}

/** A plausible DNS name: dot-separated LDH labels. */
export function isDomainName(name: string): boolean {
  return name.length <= 253 && /^([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(name)
}

/**
 * The single DNS label for a content root on a subdomain gateway: CIDs in base32 (CIDv0
 * becomes v1), base36 when base32 does not fit; IPNS keys in base36; DNSLink names
 * inlined. Roots that fit no label are refused with 400, as the spec says.
 */
export function toDnsLabel(namespace: 'ipfs' | 'ipns', root: string): string {
  if (namespace === 'ipfs') {
    const cid = requireCid(root).toV1()
    const label = [cid.toString(base32), cid.toString(base36)].find((l) => l.length <= DNS_LABEL_MAX)
    if (label === undefined) throw tooLong(`CID ${root}`)
    return label
  }
  const key = parseIpnsKey(root)
  if (key !== undefined) {
    const label = key.toString(base36)
    if (label.length > DNS_LABEL_MAX) throw tooLong(`IPNS name ${root}`)
    return label
  }
  if (!isDomainName(root)) throw new HttpError(400, `'${root}' is neither an IPNS key nor a DNSLink domain name`)
  const label = inlineDnslink(root.toLowerCase())
  if (label.length > DNS_LABEL_MAX) throw tooLong(`DNSLink name ${root}`)
  return label
}

/** Reads the content root back from a subdomain label. */
export function fromDnsLabel(namespace: 'ipfs' | 'ipns', label: string): string {
  if (namespace === 'ipfs') return requireCid(label).toString()
  if (parseIpnsKey(label) !== undefined) return label
  const domain = uninlineDnslink(label)
  if (!isDomainName(domain)) throw new HttpError(400, `'${label}' is neither an IPNS key nor an inlined DNSLink name`)
  return domain
}

function tooLong(what: string): HttpError {
  return new HttpError(
    400,
    `${what} does not fit in a DNS label (${DNS_LABEL_MAX} characters), so it has no subdomain form; ` +
      'open it on a path gateway instead (http://127.0.0.1:<port>/ipfs/<cid>/)',
  )
}
