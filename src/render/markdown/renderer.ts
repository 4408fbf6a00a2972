/**
 * The Markdown stage of the renderer: one markdown-it instance per renderer, set
 * up once, and a pure `render(source, env)` whose per-document state lives in the
 * markdown-it `env`.
 */
import markdownIt, { type MarkdownIt } from 'markdown-it'
import { full as emoji } from 'markdown-it-emoji'
import type { Diagnostic } from '../../errors.ts'
import type { MarkdownEnv, MarkdownOptions, MarkdownRenderer, MarkdownResult } from '../types.ts'
import { containersPlugin } from './containers.ts'
import { createContext, type DocContext, type RenderEnv, report } from './context.ts'
import { findMojibake } from './encoding/mojibake.ts'
import { collectHeadings, headingsPlugin } from './headings.ts'
import { highlightPlugin } from './highlight.ts'
import { hugoShortcodesPlugin } from './hugo/index.ts'
import { imagesPlugin } from './images.ts'
import { lineTrackingPlugin } from './lines.ts'
import { plainText } from './text.ts'
import { tocPlugin } from './toc.ts'
import { videoPlugin } from './video.ts'

function createMarkdownIt(options: MarkdownOptions): MarkdownIt {
  const md = markdownIt('default', {
    html: true,
    breaks: options.breaks ?? false,
    linkify: true,
    // Smart quotes and dashes would change what authors wrote, and differ from the old site.
    typographer: false,
  })
  // Only `http://`, `https://`, `www.` and e-mail: "README.md" and "index.io" stay text.
  md.linkify.set({ fuzzyLink: false })
  lineTrackingPlugin(md)
  // No text shortcuts: ":)" or "8)" in prose and code-like text must stay as written.
  md.use(emoji, { shortcuts: {} })
  headingsPlugin(md)
  tocPlugin(md)
  containersPlugin(md)
  imagesPlugin(md)
  videoPlugin(md)
  hugoShortcodesPlugin(md)
  highlightPlugin(md)
  return md
}

/** Mis-encoded text is reported (and repaired, if asked) on the source: it never spans markup. */
function checkEncoding(source: string, doc: DocContext, repair: boolean): string {
  const { issues, repaired } = findMojibake(source)
  for (const issue of issues) {
    const fix = repair ? 'repaired in the output; re-save the file as UTF-8' : 're-save the file as UTF-8, or turn on repairEncoding'
    const message = `mis-encoded text "${issue.found}" (UTF-8 read as ${issue.codePage}), probably "${issue.repaired}": ${fix}`
    report(doc, 'warning', issue.line, message)
  }
  return repair ? repaired : source
}

const byLine = (a: Diagnostic, b: Diagnostic) => (a.line ?? 0) - (b.line ?? 0)

export function createMarkdownRenderer(options: MarkdownOptions = {}): MarkdownRenderer {
  const md = createMarkdownIt(options)
  const repair = options.repairEncoding ?? false
  return {
    render(source: string, env: MarkdownEnv): MarkdownResult {
      const doc = createContext(env)
      // markdown-it also normalizes line endings, but the encoding scan runs first.
      const normalized = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source
      const body = checkEncoding(normalized, doc, repair)
      const renderEnv: RenderEnv = { doc }
      const tokens = md.parse(body, renderEnv)
      return {
        html: md.renderer.render(tokens, md.options, renderEnv),
        headings: collectHeadings(tokens),
        text: plainText(tokens),
        // Core steps report in passes; a report reads best in file order.
        errors: doc.errors.sort(byLine),
        warnings: doc.warnings.sort(byLine),
        refs: doc.refs,
      }
    },
  }
}
