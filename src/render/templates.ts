/**
 * Eta templates, compiled once per render from the text `loadSite` read. Templates refer to
 * each other by name (`layout('@base')`, `include('@post-card', { post })`), never by file
 * path, so no path resolution or file cache is involved.
 */
import { Eta, EtaError } from 'eta/core'
import type { Diagnostic } from '../errors.ts'
import type { TextSource } from './types.ts'

/** The templates a site must have (its own, or the built-in theme's). */
export const REQUIRED_TEMPLATES = ['base', 'home', 'post', 'tag', 'tags', '404', 'redirect'] as const
export type PageTemplate = (typeof REQUIRED_TEMPLATES)[number]

export interface Templates {
  /** Renders a page template; an error is reported against the template file and the page. */
  render(name: PageTemplate, data: object, page: string): string | undefined
}

/** `templates/partials/card.eta` → `partials/card` */
function templateName(file: string): string {
  return file.replace(/^templates\//, '').replace(/\.eta$/, '')
}

export function compileTemplates(sources: readonly TextSource[], errors: Diagnostic[]): Templates {
  const eta = new Eta({
    autoEscape: true,
    // Keeps the newline after a tag out of the output, as hand-written HTML would be.
    autoTrim: [false, 'nl'],
    cache: true,
    cacheFilepaths: false,
    useWith: false,
    varName: 'it',
  })
  const files = new Map<string, string>()
  for (const src of sources) {
    const name = templateName(src.file)
    files.set(name, src.file)
    try {
      eta.loadTemplate(`@${name}`, src.text.replace(/\r\n?/g, '\n'))
    } catch (err) {
      if (!(err instanceof EtaError)) throw err
      const line = /at line (\d+)/.exec(err.message)?.[1]
      errors.push({
        file: src.file,
        ...(line === undefined ? {} : { line: Number(line) }),
        message: `template: ${err.message.split('\n')[0]}`,
      })
    }
  }
  for (const name of REQUIRED_TEMPLATES) {
    if (!files.has(name)) errors.push({ file: `templates/${name}.eta`, message: 'template: missing (every site needs it)' })
  }
  const reported = new Set<string>()
  return {
    render(name, data, page) {
      try {
        return eta.render(`@${name}`, data)
      } catch (err) {
        const file = files.get(name) ?? `templates/${name}.eta`
        const message = `template: ${(err as Error).message.split('\n')[0]} (rendering ${page})`
        // One broken template fails every page that uses it: say it once.
        if (!reported.has(file)) errors.push({ file, message })
        reported.add(file)
        return undefined
      }
    },
  }
}
