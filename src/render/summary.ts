/** Summaries and reading times for post lists, feeds and meta descriptions. */
import { Parser } from 'htmlparser2'
import { READING_WORDS_PER_MINUTE, SUMMARY_MAX_CHARS } from '../constants.ts'

/** How many leading paragraphs to try before giving up on a summary (images-only paragraphs have no text). */
const PARAGRAPHS_TRIED = 5

/** The text of the first paragraph with text in it, cut near `SUMMARY_MAX_CHARS` at a word boundary. */
export function firstParagraph(html: string): string {
  let rest = html
  for (let n = 0; n < PARAGRAPHS_TRIED; n++) {
    const open = rest.search(/<p[\s>]/)
    if (open === -1) return ''
    const close = rest.indexOf('</p>', open)
    const end = close === -1 ? rest.length : close
    const text = textOf(rest.slice(open, end)).replace(/\s+/g, ' ').trim()
    if (text !== '') return truncate(text, SUMMARY_MAX_CHARS)
    rest = rest.slice(end)
  }
  return ''
}

function textOf(html: string): string {
  let text = ''
  const parser = new Parser({ ontext: (t) => (text += t) }, { decodeEntities: true })
  parser.write(html)
  parser.end()
  return text
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.lastIndexOf(' ', max)
  return `${text.slice(0, cut > max / 2 ? cut : max).replace(/[\s,;:.]+$/, '')}…`
}

/** Whole minutes, at least one. */
export function readingMinutes(text: string): number {
  return Math.max(1, Math.round(countWords(text) / READING_WORDS_PER_MINUTE))
}

/** Runs of non-whitespace (what `/\S+/g` matches), counted in one pass without a match object per word. */
export function countWords(text: string): number {
  let words = 0
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i))
    if (!space && !inWord) words++
    inWord = !space
  }
  return words
}

/** Exactly the characters of the RegExp class `\s`. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13)
  if (c < 0xa0) return false
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}
