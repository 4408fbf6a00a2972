/**
 * Per-document state of one render. markdown-it hands `env` to every rule, so the
 * renderer keeps everything that belongs to one document there and nothing in the
 * (shared, reused) markdown-it instance.
 */
import type { Env, StateInline } from 'markdown-it'
import type { Diagnostic } from '../../errors.ts'
import type { MarkdownEnv, RefUse } from '../types.ts'

export interface DocContext {
  file: string
  lineOffset: number
  resolveRef: MarkdownEnv['resolveRef']
  errors: Diagnostic[]
  warnings: Diagnostic[]
  /** What `resolveRef` was asked and answered, in order. */
  refs: RefUse[]
  /** 0-based body line of the block whose inline content is being parsed. */
  blockLine: number
}

export interface RenderEnv extends Env {
  doc: DocContext
}

export function createContext(env: MarkdownEnv): DocContext {
  const refs: RefUse[] = []
  return {
    file: env.file,
    lineOffset: env.lineOffset,
    // Recorded: the result depends on these answers, so the render cache must check them.
    resolveRef(ref) {
      const url = env.resolveRef(ref)
      refs.push([ref, url ?? null])
      return url
    },
    errors: [],
    warnings: [],
    refs,
    blockLine: 0,
  }
}

export function docOf(env: Env | undefined): DocContext {
  const doc = (env as RenderEnv | undefined)?.doc
  if (doc === undefined) throw new Error('markdown env has no document context: render through createMarkdownRenderer()')
  return doc
}

/** Counts line feeds in `text` before `end`: sources are normalized to `\n` before parsing. */
export function newlinesBefore(text: string, end: number): number {
  let count = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++
  return count
}

/** The 0-based body line of position `pos` in the inline source being parsed. */
export function inlineBodyLine(state: StateInline, pos: number = state.pos): number {
  return docOf(state.env).blockLine + newlinesBefore(state.src, pos)
}

/** Records a problem at a 0-based body line; the diagnostic carries the 1-based file line. */
export function report(doc: DocContext, kind: 'error' | 'warning', bodyLine: number, message: string): void {
  const diagnostic: Diagnostic = { file: doc.file, line: bodyLine + 1 + doc.lineOffset, message }
  if (kind === 'error') doc.errors.push(diagnostic)
  else doc.warnings.push(diagnostic)
}
