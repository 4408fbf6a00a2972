/**
 * The only place that writes to the terminal. Human output and progress go to stderr;
 * with `--json` the result is one JSON document on stdout, so scripts can pipe it.
 * A TTY gets one progress line redrawn in place; CI logs get plain lines, throttled.
 */
import { formatDiagnostic, type Diagnostic } from '../errors.ts'

/** How often progress is printed where lines cannot be redrawn (CI logs). */
const PLAIN_PROGRESS_INTERVAL_MS = 2000
/** How often the TTY progress line is redrawn. */
const TTY_PROGRESS_INTERVAL_MS = 100

/** The part of a stream the output needs; tests pass a collector. */
export interface TextSink {
  write(text: string): unknown
  isTTY?: boolean
}

export interface OutputOptions {
  json: boolean
  quiet: boolean
  stdout: TextSink
  stderr: TextSink
  now?: () => number
}

export class Output {
  readonly json: boolean
  readonly quiet: boolean
  private readonly stdout: OutputOptions['stdout']
  private readonly stderr: OutputOptions['stderr']
  private readonly tty: boolean
  private readonly now: () => number
  private lastProgress = Number.NEGATIVE_INFINITY
  private progressShown = false

  constructor(options: OutputOptions) {
    this.json = options.json
    this.quiet = options.quiet
    this.stdout = options.stdout
    this.stderr = options.stderr
    this.tty = options.stderr.isTTY === true
    this.now = options.now ?? Date.now
  }

  /** A line of human output (stderr). */
  info(line: string): void {
    if (this.quiet) return
    this.clearProgress()
    this.stderr.write(`${line}\n`)
  }

  warn(message: string | Diagnostic): void {
    this.clearProgress()
    this.stderr.write(`warning: ${typeof message === 'string' ? message : formatDiagnostic(message)}\n`)
  }

  error(message: string): void {
    this.clearProgress()
    this.stderr.write(`error: ${message}\n`)
  }

  /** A transient status line; `force` prints it even if one was printed a moment ago. */
  progress(text: string, force = false): void {
    if (this.quiet) return
    const now = this.now()
    const interval = this.tty ? TTY_PROGRESS_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS
    if (!force && now - this.lastProgress < interval) return
    this.lastProgress = now
    if (this.tty) {
      this.stderr.write(`\r\x1b[2K${text}`)
      this.progressShown = true
    } else {
      this.stderr.write(`${text}\n`)
    }
  }

  /** The command's result: JSON on stdout with `--json`, otherwise the human lines on stderr. */
  result(data: unknown, human: string[]): void {
    this.clearProgress()
    if (this.json) {
      this.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
      return
    }
    for (const line of human) this.stderr.write(`${line}\n`)
  }

  /**
   * One compact JSON line on stdout with `--json` (a long-running command's "ready" line,
   * which a parent process reads before the command ends); nothing otherwise.
   */
  jsonLine(data: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(data)}\n`)
  }

  /**
   * Text that is the command's product, on stdout as it is, so it can be piped into another
   * program (`key export site | gh secret set IPNS_KEY`). Printed even with `--quiet`.
   */
  print(text: string): void {
    this.clearProgress()
    this.stdout.write(text)
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.stderr.write('\r\x1b[2K')
      this.progressShown = false
    }
  }
}

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** `420` → `420 ms`, `1530` → `1.5 s`: how long a target or a stage took. */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
