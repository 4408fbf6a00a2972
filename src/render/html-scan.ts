/**
 * A scanner for the start tags of a finished HTML page, for the link pass. It follows the
 * HTML tokenizer (as htmlparser2's does) only as far as finding tags and their attributes
 * needs: text is skipped with `indexOf('<')`, and comments, doctypes, end tags and the
 * contents of raw-text elements (`<script>`, `<style>`, ...) are jumped over whole. A full
 * tokenizer spends most of its time walking text character by character.
 */
import { QuoteType, Tokenizer } from 'htmlparser2'

export { QuoteType }

export interface TagAttribute {
  /** Lower-cased. */
  name: string
  /** The value with entities decoded ('' without one). */
  value: string
  /** Offset of the value as written (after the opening quote). */
  start: number
  /** Offset just after the value (the closing quote, for a quoted value). */
  end: number
  quote: QuoteType
}

/** Receives a start tag: its lower-cased name, attributes, and the offsets of its `<` and just after its `>`. */
export type TagHandler = (name: string, attributes: TagAttribute[], start: number, end: number) => void

/** Elements whose content is text up to their end tag (raw text and RCDATA), as htmlparser2 has them. */
const TEXT_ONLY = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes'])

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 12 || c === 13
const isAlpha = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122
/** Whitespace, `/` or `>`: what ends a tag name. */
const endsName = (c: number): boolean => isSpace(c) || c === 47 || c === 62

/**
 * Calls `onTag` for each start tag, in document order; a tag cut off by the end of the
 * page is not reported. With `names`, only those attributes are reported (the others are
 * still read past, but cost no object and no entity decoding).
 */
export function scanStartTags(html: string, onTag: TagHandler, names?: ReadonlySet<string>): void {
  const length = html.length
  let i = html.indexOf('<')
  while (i !== -1 && i + 1 < length) {
    const c = html.charCodeAt(i + 1)
    if (isAlpha(c)) {
      const after = startTag(html, i + 1, onTag, names)
      if (after === -1) return
      i = html.indexOf('<', after)
    } else if (c === 33 /* ! */) {
      i = html.indexOf('<', skipMarkupDeclaration(html, i))
    } else if (c === 47 /* / */ || c === 63 /* ? */) {
      const close = html.indexOf('>', i + 2)
      if (close === -1) return
      i = html.indexOf('<', close + 1)
    } else {
      i = html.indexOf('<', i + 1)
    }
  }
}

/** Where scanning goes on after `<!`: a comment, CDATA section, doctype or bogus comment; -1 at the end. */
function skipMarkupDeclaration(html: string, at: number): number {
  if (html.startsWith('<!--', at)) return endAfter(html, '-->', at + 4)
  if (html.startsWith('<![CDATA[', at)) return endAfter(html, ']]>', at + 9)
  return endAfter(html, '>', at + 2)
}

/** The offset just after the next `needle` from `from`, or the end of the page. */
function endAfter(html: string, needle: string, from: number): number {
  const at = html.indexOf(needle, from)
  return at === -1 ? html.length : at + needle.length
}

/**
 * Reads the start tag whose name begins at `at`, reports it, and returns where scanning
 * goes on (past the content of a raw-text element), or -1 when the page ends first.
 */
function startTag(html: string, at: number, onTag: TagHandler, names: ReadonlySet<string> | undefined): number {
  const length = html.length
  let i = at
  while (i < length && !endsName(html.charCodeAt(i))) i++
  const name = html.slice(at, i).toLowerCase()
  const attributes: TagAttribute[] = []
  for (;;) {
    while (i < length && (isSpace(html.charCodeAt(i)) || html.charCodeAt(i) === 47)) i++
    if (i >= length) return -1
    if (html.charCodeAt(i) === 62 /* > */) break
    const nameStart = i
    // An attribute name runs to `=`, whitespace, `/` or `>` (its first character may be `=`).
    i++
    while (i < length && html.charCodeAt(i) !== 61 && !endsName(html.charCodeAt(i))) i++
    const attrName = html.slice(nameStart, i).toLowerCase()
    const wanted = names === undefined || names.has(attrName)
    let j = i
    while (j < length && isSpace(html.charCodeAt(j))) j++
    if (j >= length) return -1
    if (html.charCodeAt(j) !== 61 /* = */) {
      if (wanted) attributes.push({ name: attrName, value: '', start: i, end: i, quote: QuoteType.NoValue })
      continue
    }
    j++
    while (j < length && isSpace(html.charCodeAt(j))) j++
    if (j >= length) return -1
    const q = html.charCodeAt(j)
    if (q === 34 || q === 39) {
      const close = html.indexOf(q === 34 ? '"' : "'", j + 1)
      if (close === -1) return -1
      const quote = q === 34 ? QuoteType.Double : QuoteType.Single
      if (wanted) attributes.push({ name: attrName, value: decoded(html, j + 1, close, quote), start: j + 1, end: close, quote })
      i = close + 1
    } else {
      let end = j
      while (end < length && !isSpace(html.charCodeAt(end)) && html.charCodeAt(end) !== 62) end++
      if (end >= length) return -1
      if (wanted) attributes.push({ name: attrName, value: decoded(html, j, end, QuoteType.Unquoted), start: j, end, quote: QuoteType.Unquoted })
      i = end
    }
  }
  const after = i + 1
  onTag(name, attributes, at - 1, after)
  if (name === 'plaintext') return -1
  if (!TEXT_ONLY.has(name)) return after
  return endOfTextOnly(html, name, after)
}

/** Past the end tag of a raw-text element whose content starts at `from` (`</script` + whitespace, `/` or `>`). */
function endOfTextOnly(html: string, name: string, from: number): number {
  for (let i = html.indexOf('</', from); i !== -1; i = html.indexOf('</', i + 2)) {
    const end = i + 2 + name.length
    if (end < html.length && html.slice(i + 2, end).toLowerCase() === name && endsName(html.charCodeAt(end))) {
      const close = html.indexOf('>', end)
      return close === -1 ? -1 : close + 1
    }
  }
  return -1
}

/** An attribute value with character references decoded; most values have none. */
function decoded(html: string, start: number, end: number, quote: QuoteType): string {
  const raw = html.slice(start, end)
  if (!raw.includes('&')) return raw
  // Character references have many legacy rules (no semicolon, attribute context): the
  // rare value that has one is decoded by htmlparser2's own tokenizer.
  const q = quote === QuoteType.Single ? "'" : quote === QuoteType.Double ? '"' : ''
  let value = ''
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onattribdata: (s, e) => (value += wrapped.slice(s, e)),
      onattribentity: (cp) => (value += String.fromCodePoint(cp)),
      onattribend() {},
      onattribname() {},
      oncdata() {},
      onclosetag() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onopentagend() {},
      onopentagname() {},
      onprocessinginstruction() {},
      onselfclosingtag() {},
      ontext() {},
      ontextentity() {},
    },
  )
  const wrapped = `<a v=${q}${raw}${q}>`
  tokenizer.write(wrapped)
  tokenizer.end()
  return value
}
