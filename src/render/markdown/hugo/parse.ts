/**
 * The syntax of Hugo shortcodes: `{{< name params >}}`, `{{% name params %}}`,
 * closing `{{< /name >}}`, self-closing `{{< name />}}`, and the comment form
 * (`/*` and its closing pair just inside the delimiters) that Hugo prints as the plain
 * shortcode, used to show shortcodes in documentation.
 */

export interface Shortcode {
  name: string
  closing: boolean
  positional: string[]
  named: Map<string, string>
  /** `<` or `%`. */
  delimiter: string
}

export type ParsedShortcode =
  | { kind: 'shortcode'; shortcode: Shortcode; end: number }
  | { kind: 'literal'; text: string; end: number }
  | { kind: 'malformed'; reason: string; end: number }

const NAME = /[A-Za-z0-9_][\w./-]*/y
const KEY = /([A-Za-z_][\w-]*)=/y

function isOpening(src: string, pos: number): boolean {
  return src.charCodeAt(pos) === 0x7b && src.charCodeAt(pos + 1) === 0x7b && (src[pos + 2] === '<' || src[pos + 2] === '%')
}

function skipSpace(src: string, pos: number, max: number): number {
  let at = pos
  while (at < max && /\s/.test(src[at] ?? '')) at++
  return at
}

/** Reads a quoted, raw (backtick) or bare value; undefined when none starts at `pos`. */
function readValue(src: string, pos: number, max: number, close: string): { value: string; end: number } | undefined {
  const quote = src[pos]
  if (quote === '"') {
    let value = ''
    for (let at = pos + 1; at < max && !isOpening(src, at); at++) {
      const ch = src[at]
      if (ch === '"') return { value, end: at + 1 }
      if (ch === '\\' && (src[at + 1] === '"' || src[at + 1] === '\\')) at++
      value += src[at]
    }
    return undefined
  }
  if (quote === '`') {
    const end = src.indexOf('`', pos + 1)
    return end === -1 || end >= max ? undefined : { value: src.slice(pos + 1, end), end: end + 1 }
  }
  let at = pos
  while (at < max && !/\s/.test(src[at] ?? '') && !src.startsWith(close, at) && !src.startsWith(`/${close}`, at)) at++
  return at === pos ? undefined : { value: src.slice(pos, at), end: at }
}

/**
 * Parses the shortcode starting at `start`, reading no further than `max`.
 * Returns undefined when the text there does not open a shortcode at all.
 */
export function parseShortcode(src: string, start: number, max: number = src.length): ParsedShortcode | undefined {
  if (src.charCodeAt(start) !== 0x7b || src.charCodeAt(start + 1) !== 0x7b) return undefined
  const delimiter = src[start + 2]
  if (delimiter !== '<' && delimiter !== '%') return undefined
  const close = delimiter === '<' ? '>}}' : '%}}'
  const malformed = (reason: string): ParsedShortcode => ({ kind: 'malformed', reason, end: start + 3 })

  let pos = skipSpace(src, start + 3, max)
  if (src.startsWith('/*', pos)) {
    const commentEnd = src.indexOf('*/', pos + 2)
    const after = commentEnd === -1 ? max : skipSpace(src, commentEnd + 2, max)
    if (commentEnd === -1 || !src.startsWith(close, after) || after + close.length > max) {
      return malformed(`unterminated Hugo shortcode comment: end it with "*/${close}"`)
    }
    return { kind: 'literal', text: `{{${delimiter}${src.slice(pos + 2, commentEnd)}${delimiter === '<' ? '>' : '%'}}}`, end: after + 3 }
  }

  const closing = src[pos] === '/'
  if (closing) pos = skipSpace(src, pos + 1, max)
  NAME.lastIndex = pos
  const name = NAME.exec(src)?.[0]
  if (name === undefined || pos >= max) return malformed(`malformed Hugo shortcode: expected a name after "{{${delimiter}"`)
  pos += name.length

  const shortcode: Shortcode = { name, closing, positional: [], named: new Map(), delimiter }
  for (;;) {
    pos = skipSpace(src, pos, max)
    // Shortcodes do not nest, so the next opening ends the search: this keeps a post
    // full of unterminated shortcodes from being rescanned to its end for each one.
    if (pos >= max || isOpening(src, pos)) return malformed(`unterminated Hugo shortcode "${name}": end it with "${close}"`)
    if (src.startsWith(close, pos) && pos + close.length <= max) return { kind: 'shortcode', shortcode, end: pos + close.length }
    if (src.startsWith(`/${close}`, pos) && pos + close.length + 1 <= max) {
      return { kind: 'shortcode', shortcode, end: pos + close.length + 1 }
    }
    KEY.lastIndex = pos
    const key = KEY.exec(src)?.[1]
    if (key !== undefined) pos += key.length + 1
    const value = readValue(src, pos, max, close)
    if (value === undefined) return malformed(`malformed Hugo shortcode "${name}": cannot read its parameters; quote values with "..."`)
    if (key === undefined) shortcode.positional.push(value.value)
    else shortcode.named.set(key, value.value)
    pos = value.end
  }
}

/** A parameter by name, or by position when the shortcode uses positional ones. */
export function param(shortcode: Shortcode, name: string, position?: number): string | undefined {
  return shortcode.named.get(name) ?? (position === undefined ? undefined : shortcode.positional[position])
}
