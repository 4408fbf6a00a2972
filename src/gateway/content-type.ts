/**
 * `Content-Type` for deserialized files: from the file name's extension when it says
 * something, otherwise from the first bytes (a file without an extension, a bare CID).
 */

/** How many leading bytes sniffing looks at. */
export const SNIFF_BYTES = 512

const UTF8 = '; charset=utf-8'

const BY_EXTENSION: Record<string, string> = {
  html: `text/html${UTF8}`,
  htm: `text/html${UTF8}`,
  xhtml: 'application/xhtml+xml',
  css: `text/css${UTF8}`,
  js: `text/javascript${UTF8}`,
  mjs: `text/javascript${UTF8}`,
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  xml: 'application/xml',
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  txt: `text/plain${UTF8}`,
  md: `text/markdown${UTF8}`,
  csv: `text/csv${UTF8}`,
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  wasm: 'application/wasm',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  car: 'application/vnd.ipld.car',
}

/** The type its extension gives a file name, or undefined when the extension says nothing. */
export function typeFromName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || dot === name.length - 1) return undefined
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()]
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  signature.every((b, i) => bytes[at + i] === b)

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

/** Binary signatures, checked in order. */
const MAGIC: Array<[test: (b: Uint8Array) => boolean, type: string]> = [
  [(b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
  [(b) => startsWith(b, [0xff, 0xd8, 0xff]), 'image/jpeg'],
  [(b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')), 'image/gif'],
  [(b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8), 'image/webp'],
  [(b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WAVE'), 8), 'audio/wav'],
  [(b) => startsWith(b, ascii('%PDF-')), 'application/pdf'],
  [(b) => startsWith(b, ascii('ftyp'), 4), 'video/mp4'],
  [(b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]), 'video/webm'],
  [(b) => startsWith(b, ascii('OggS')), 'application/ogg'],
  [(b) => startsWith(b, ascii('ID3')), 'audio/mpeg'],
  [(b) => startsWith(b, [0x00, 0x61, 0x73, 0x6d]), 'application/wasm'],
  [(b) => startsWith(b, [0x1f, 0x8b]), 'application/gzip'],
  [(b) => startsWith(b, ascii('PK'), 0) && (b[2] === 3 || b[2] === 5 || b[2] === 7), 'application/zip'],
]

const HTML_STARTS = ['<!doctype html', '<html', '<head', '<body', '<script', '<title', '<!--', '<p', '<h1', '<div', '<meta', '<a ']

/**
 * Sniffs the type of content from its first bytes (`SNIFF_BYTES` of them) and whether
 * that is the whole file (a complete prefix lets JSON be parsed, not guessed).
 */
export function sniffType(head: Uint8Array, complete: boolean): string {
  for (const [test, type] of MAGIC) if (test(head)) return type
  const text = decodeText(head, complete)
  if (text === undefined) return 'application/octet-stream'
  const start = text.replace(/^\uFEFF/, '').trimStart()
  const lower = start.slice(0, 64).toLowerCase()
  if (HTML_STARTS.some((tag) => lower.startsWith(tag))) return `text/html${UTF8}`
  if (lower.startsWith('<svg') || (lower.startsWith('<?xml') && /<svg[\s>]/i.test(start))) return 'image/svg+xml'
  if (lower.startsWith('<?xml')) return 'application/xml'
  if (/^[[{]/.test(start) && looksLikeJson(start, complete)) return 'application/json'
  if (lower.startsWith('%!ps')) return 'application/postscript'
  return `text/plain${UTF8}`
}

/** The prefix as text, or undefined when it has bytes no text file has. */
function decodeText(head: Uint8Array, complete: boolean): string | undefined {
  // A prefix may end inside a multi-byte character: ignore up to 3 trailing bytes.
  const cut = complete ? head : head.subarray(0, Math.max(0, head.length - 3))
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(cut)
  } catch {
    return undefined
  }
  return /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]/.test(text) ? undefined : text
}

function looksLikeJson(text: string, complete: boolean): boolean {
  if (complete) {
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }
  // Only a prefix: the start of an object with a quoted key, or of an array of values.
  return /^\{\s*("|\})/.test(text) || /^\[\s*([-\d"{[\]]|true|false|null)/.test(text)
}
