/**
 * Finds UTF-8 text that was once decoded as Windows-1252 or Mac Roman and saved
 * again ("Ã©" for "é", "â€™" for "’", "‚Äì" for "–"), and repairs it: the
 * characters are turned back into the code page's bytes, which must then be valid
 * UTF-8 that decodes to likely text. Real accented prose ("é", "ü", "ñ", "’")
 * does not form such sequences, or forms ones that decode to unlikely characters.
 */
import { CODE_PAGES, type CodePage } from './codepages.ts'

export interface EncodingIssue {
  /** 0-based line in the scanned text. */
  line: number
  codePage: string
  /** The affected word(s) as written, and as they probably should read. */
  found: string
  repaired: string
}

interface Run {
  start: number
  end: number
  text: string
  codePoints: number[]
  codePage: string
}

const LONGEST_SHOWN = 60

/** Any lead-byte character of either code page followed by a continuation-byte one. */
const CANDIDATE = (() => {
  const leads = new Set<string>()
  const continuations = new Set<string>()
  for (const page of CODE_PAGES) {
    for (const [ch, byte] of page.bytes) {
      if (byte >= 0xc2 && byte <= 0xf4) leads.add(ch)
      else if (byte <= 0xbf) continuations.add(ch)
    }
  }
  const klass = (chars: Set<string>) => [...chars].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
  return new RegExp(`[${klass(leads)}][${klass(continuations)}]`)
})()

/** One UTF-8 sequence spelled in `page`'s characters at `at`, if there is one. */
function decodeAt(line: string, at: number, page: CodePage): { end: number; codePoint: number } | undefined {
  const lead = page.bytes.get(line[at] ?? '')
  if (lead === undefined || lead < 0xc2 || lead > 0xf4) return undefined
  const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
  let codePoint = lead & (0xff >> (length + 1))
  for (let k = 1; k < length; k++) {
    const byte = page.bytes.get(line[at + k] ?? '')
    if (byte === undefined || byte > 0xbf) return undefined
    // Second-byte limits of RFC 3629: no overlong forms, surrogates or code points past U+10FFFF.
    if (k === 1 && ((lead === 0xe0 && byte < 0xa0) || (lead === 0xed && byte > 0x9f) || (lead === 0xf0 && byte < 0x90) || (lead === 0xf4 && byte > 0x8f))) {
      return undefined
    }
    codePoint = (codePoint << 6) | (byte & 0x3f)
  }
  return { end: at + length, codePoint }
}

/** Characters mis-encoded text plausibly stood for; the rest are likely accidents of real prose. */
function plausible(codePoint: number): boolean {
  if (codePoint < 0xa0) return false // C1 controls
  if (codePoint >= 0x250 && codePoint < 0x370) return false // IPA, spacing modifiers, combining marks
  if (codePoint >= 0x591 && codePoint < 0x5d0) return false // Hebrew points
  if (codePoint >= 0x700 && codePoint < 0x800) return false // Syriac, Thaana, N'Ko
  if (codePoint >= 0xe000 && codePoint <= 0xf8ff) return false // private use
  return !(codePoint >= 0xfdd0 && codePoint <= 0xfdef) && (codePoint & 0xfffe) !== 0xfffe
}

/**
 * Latin-1 letters and symbols, Romanian ș/ț and everything from U+0800 on are
 * convincing on their own; one Greek, Cyrillic, Hebrew, Arabic or rare Latin letter
 * is as likely an accented capital next to a quote mark ("AÑ”"), so it needs company.
 */
function convincingAlone(codePoint: number): boolean {
  return (codePoint >= 0xa0 && codePoint < 0x180) || (codePoint >= 0x218 && codePoint <= 0x21b) || codePoint >= 0x800
}

function findRuns(line: string): Run[] {
  const runs: Run[] = []
  let current: Run | undefined
  for (let at = 0; at < line.length; ) {
    let decoded: { end: number; codePoint: number } | undefined
    let page: CodePage | undefined
    for (page of CODE_PAGES) {
      decoded = decodeAt(line, at, page)
      if (decoded && plausible(decoded.codePoint)) break
      decoded = undefined
    }
    if (decoded === undefined || page === undefined) {
      current = undefined
      at++
      continue
    }
    if (current?.end !== at || current.codePage !== page.name) {
      current = { start: at, end: at, text: '', codePoints: [], codePage: page.name }
      runs.push(current)
    }
    current.end = decoded.end
    current.codePoints.push(decoded.codePoint)
    current.text += String.fromCodePoint(decoded.codePoint)
    at = decoded.end
  }
  return runs.filter((run) => run.codePoints.length > 1 || convincingAlone(run.codePoints[0] ?? 0))
}

function replaceRuns(text: string, runs: Run[], offset: number): string {
  let out = ''
  let last = offset
  for (const run of runs) {
    out += text.slice(last - offset, run.start - offset) + run.text
    last = run.end
  }
  return out + text.slice(last - offset)
}

/** Widens [start, end) to whole words, so a report shows "cafÃ©" rather than "Ã©". */
function wordSpan(line: string, start: number, end: number): [number, number] {
  let from = start
  let to = end
  while (from > 0 && /[\p{L}\p{N}]/u.test(line[from - 1] ?? '')) from--
  while (to < line.length && /[\p{L}\p{N}]/u.test(line[to] ?? '')) to++
  return [from, to]
}

/** Reports each line with mis-encoded text and returns the text with it repaired. */
export function findMojibake(text: string): { issues: EncodingIssue[]; repaired: string } {
  if (!CANDIDATE.test(text)) return { issues: [], repaired: text }
  const issues: EncodingIssue[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (!CANDIDATE.test(line)) continue
    const runs = findRuns(line)
    const first = runs[0]
    const last = runs.at(-1)
    if (!first || !last) continue
    const [from, to] = wordSpan(line, first.start, last.end)
    const shown = to - from > LONGEST_SHOWN ? wordSpan(line, first.start, first.end) : [from, to]
    const [showFrom = from, showTo = to] = shown
    const inShown = runs.filter((run) => run.start >= showFrom && run.end <= showTo)
    issues.push({
      line: index,
      codePage: [...new Set(runs.map((run) => run.codePage))].join(' or '),
      found: line.slice(showFrom, showTo),
      repaired: replaceRuns(line.slice(showFrom, showTo), inShown, showFrom),
    })
    lines[index] = replaceRuns(line, runs, 0)
  }
  return { issues, repaired: issues.length === 0 ? text : lines.join('\n') }
}
