/** Shared by the markdown tests: a renderer per option set and a fixed set of pages for refs. */
import { type Diagnostic, formatDiagnostic } from '../../../src/errors.ts'
import { createMarkdownRenderer } from '../../../src/render/markdown/index.ts'
import type { MarkdownOptions, MarkdownRenderer, MarkdownResult } from '../../../src/render/types.ts'

export const FILE = 'posts/a.md'

const PAGES: Record<string, string> = {
  'posts/other.md': '/posts/other/',
  other: '/posts/other/',
  'posts/été.md': '/posts/été/',
}

export function resolveRef(ref: string): string | undefined {
  return PAGES[ref]
}

const renderers = new Map<string, MarkdownRenderer>()

export function render(source: string, options: MarkdownOptions = {}, lineOffset = 0): MarkdownResult {
  const key = JSON.stringify(options)
  let renderer = renderers.get(key)
  if (renderer === undefined) {
    renderer = createMarkdownRenderer(options)
    renderers.set(key, renderer)
  }
  return renderer.render(source, { file: FILE, lineOffset, resolveRef })
}

/** The HTML of a document that must render without errors or warnings. */
export function html(source: string, options: MarkdownOptions = {}): string {
  const result = render(source, options)
  const problems = [...result.errors, ...result.warnings].map(formatDiagnostic)
  if (problems.length > 0) throw new Error(`unexpected diagnostics:\n${problems.join('\n')}`)
  return result.html
}

export function formatted(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(formatDiagnostic)
}
