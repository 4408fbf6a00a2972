/**
 * Splits a post into YAML front matter and Markdown body, and remembers the line of each
 * top-level key so every diagnostic can point at the line to fix.
 */
import { CORE_SCHEMA, load, mergeTag, YAMLException } from 'js-yaml'
import type { Diagnostic } from '../errors.ts'

export interface FrontMatter {
  data: Record<string, unknown>
  /** 1-based file line of each top-level key. */
  lines: Map<string, number>
  /** Lines before the body (the front matter and its fences). */
  lineOffset: number
  body: string
}

// CORE keeps dates as the strings the author wrote (dates.ts parses them, keeping the time
// zone); merge keys (`<<: *defaults`) appear in real front matter.
const SCHEMA = CORE_SCHEMA.withTags(mergeTag)
const FENCE = /^---[ \t]*$/
const CLOSE = /^(---|\.\.\.)[ \t]*$/
const KEY = /^(["']?)([^\s"'#:][^:]*?)\1[ \t]*:(?:[ \t]|$)/

/**
 * Parses `text` (LF line endings, no BOM). Problems are pushed to `errors`; the result is
 * undefined when the front matter cannot be read at all.
 */
export function parseFrontMatter(text: string, file: string, errors: Diagnostic[]): FrontMatter | undefined {
  const firstEnd = text.indexOf('\n')
  const first = firstEnd === -1 ? text : text.slice(0, firstEnd)
  if (first.startsWith('+++')) {
    errors.push({ file, line: 1, message: 'front matter: TOML (+++) is not supported: write it as YAML between --- lines' })
    return undefined
  }
  if (!FENCE.test(first)) return { data: {}, lines: new Map(), lineOffset: 0, body: text }

  const lines = new Map<string, number>()
  let pos = firstEnd + 1
  let line = 2
  let close = -1
  while (pos <= text.length && firstEnd !== -1) {
    const end = text.indexOf('\n', pos)
    const current = end === -1 ? text.slice(pos) : text.slice(pos, end)
    if (CLOSE.test(current)) {
      close = pos
      break
    }
    const key = KEY.exec(current)
    if (key !== null && !lines.has(key[2]!)) lines.set(key[2]!, line)
    if (end === -1) break
    pos = end + 1
    line++
  }
  if (close === -1) {
    errors.push({ file, line: 1, message: 'front matter: no closing --- line' })
    return undefined
  }
  const yaml = text.slice(firstEnd + 1, close)
  const afterClose = text.indexOf('\n', close)
  const body = afterClose === -1 ? '' : text.slice(afterClose + 1)

  let data: unknown
  try {
    data = load(yaml, { schema: SCHEMA })
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err
    errors.push({ file, line: 2 + (err.mark?.line ?? 0), message: `front matter: ${err.reason}` })
    return undefined
  }
  if (data === undefined || data === null) data = {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ file, line: 2, message: 'front matter: must be a mapping of keys to values (`title: ...`)' })
    return undefined
  }
  return { data: data as Record<string, unknown>, lines, lineOffset: line, body }
}
