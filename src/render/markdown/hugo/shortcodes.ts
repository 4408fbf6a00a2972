/**
 * What Hugo's built-in shortcodes turn into. Anything else is an error that says
 * what to write instead: a silently dropped shortcode would be a hole in a post.
 */
import type { MarkdownIt } from 'markdown-it'
import { type DocContext, report } from '../context.ts'
import { parseVideoId, type VideoService, videoEmbedHtml } from '../video.ts'
import { param, type Shortcode } from './parse.ts'

export const SUPPORTED_SHORTCODES = ['figure', 'highlight', 'ref', 'relref', 'vimeo', 'youtube'] as const

const HINTS: Record<string, string> = {
  gist: 'replace it with a link to the gist, or a fenced code block holding its content',
  tweet: 'replace it with a link to the post, or a blockquote of its text',
  twitter: 'replace it with a link to the post, or a blockquote of its text',
  x: 'replace it with a link to the post, or a blockquote of its text',
  instagram: 'replace it with a link to the post, or the image itself',
  param: 'write the value into the post',
  details: 'use a `::: details Title` container instead',
}
const DEFAULT_HINT =
  'replace it with Markdown or HTML (shortcodes defined by a Hugo theme or layouts/shortcodes are not available here)'

export function isRef(shortcode: Shortcode): boolean {
  return !shortcode.closing && (shortcode.name === 'ref' || shortcode.name === 'relref')
}

export function reportUnknown(doc: DocContext, shortcode: Shortcode, bodyLine: number): void {
  const hint = HINTS[shortcode.name] ?? DEFAULT_HINT
  const supported = SUPPORTED_SHORTCODES.join(', ')
  report(doc, 'error', bodyLine, `unknown Hugo shortcode "${shortcode.name}": supported are ${supported}; ${hint}`)
}

/** `path`, `path#anchor` or `#anchor` → a site-absolute URL, or undefined after an error. */
export function resolveRefTarget(doc: DocContext, kind: string, target: string, bodyLine: number): string | undefined {
  const hash = target.indexOf('#')
  const path = hash === -1 ? target : target.slice(0, hash)
  const anchor = hash === -1 ? '' : target.slice(hash)
  if (path === '') {
    if (anchor !== '') return anchor
    report(doc, 'error', bodyLine, `Hugo "${kind}" shortcode without a target: write {{< ${kind} "posts/other.md" >}}`)
    return undefined
  }
  const url = doc.resolveRef(path)
  if (url === undefined) {
    report(doc, 'error', bodyLine, `Hugo "${kind}" target "${path}" matches no page: check the path (relative to the site folder, e.g. "posts/other.md")`)
    return undefined
  }
  return url + anchor
}

export function refTarget(shortcode: Shortcode): string {
  return param(shortcode, 'path', 0) ?? ''
}

function videoHtml(md: MarkdownIt, doc: DocContext, service: VideoService, shortcode: Shortcode, bodyLine: number): string {
  const value = param(shortcode, 'id', 0)
  if (value === undefined) {
    report(doc, 'error', bodyLine, `Hugo "${service}" shortcode without a video id: write {{< ${service} VIDEO_ID >}}`)
    return ''
  }
  const parsed = parseVideoId(service, value)
  if ('error' in parsed) {
    report(doc, 'error', bodyLine, parsed.error)
    return ''
  }
  return videoEmbedHtml(service, parsed.id, param(shortcode, 'title') ?? '', md.utils.escapeHtml)
}

/**
 * Hugo's figure, split around the caption so a block figure can render the
 * caption as Markdown (Hugo markdownifies it) between `open` and `close`.
 */
export function figureParts(md: MarkdownIt, doc: DocContext, shortcode: Shortcode, bodyLine: number) {
  const escapeHtml = md.utils.escapeHtml
  const get = (name: string) => param(shortcode, name)
  const attr = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`)
  const src = get('src')
  if (src === undefined) report(doc, 'error', bodyLine, 'Hugo "figure" shortcode without src: write {{< figure src="image.png" >}}')
  const caption = get('caption') ?? ''
  const link = get('link')
  const title = get('title')
  const credit = get('attr')

  let open = `<figure${attr('class', get('class'))}>`
  if (link !== undefined) open += `<a href="${escapeHtml(md.normalizeLink(link))}"${attr('target', get('target'))}${attr('rel', get('rel'))}>`
  open += `<img src="${escapeHtml(md.normalizeLink(src ?? ''))}" alt="${escapeHtml(get('alt') ?? caption)}"`
  open += `${attr('width', get('width'))}${attr('height', get('height'))} loading="lazy" decoding="async">`
  if (link !== undefined) open += '</a>'
  const hasCaption = title !== undefined || caption !== '' || credit !== undefined
  if (hasCaption) open += `<figcaption>${title === undefined ? '' : `<h4>${escapeHtml(title)}</h4>`}<p>`

  let close = ''
  if (credit !== undefined) {
    const creditLink = get('attrlink')
    close += creditLink === undefined ? ` ${escapeHtml(credit)}` : ` <a href="${escapeHtml(md.normalizeLink(creditLink))}">${escapeHtml(credit)}</a>`
  }
  close += `${hasCaption ? '</p></figcaption>' : ''}</figure>`
  return { open, caption, close }
}

/**
 * HTML for a shortcode used inside a paragraph or inside raw HTML, or '' after
 * reporting why it cannot be rendered there.
 */
export function shortcodeHtml(md: MarkdownIt, doc: DocContext, shortcode: Shortcode, bodyLine: number): string {
  const { name } = shortcode
  if (shortcode.closing) {
    const known = (SUPPORTED_SHORTCODES as readonly string[]).includes(name)
    if (known) report(doc, 'error', bodyLine, `"{{< /${name} >}}" closes a shortcode that was never opened`)
    else reportUnknown(doc, shortcode, bodyLine)
    return ''
  }
  switch (name) {
    case 'ref':
    case 'relref': {
      const url = resolveRefTarget(doc, name, refTarget(shortcode), bodyLine)
      return url === undefined ? '' : md.utils.escapeHtml(md.normalizeLink(url))
    }
    case 'youtube':
    case 'vimeo':
      return videoHtml(md, doc, name, shortcode, bodyLine)
    case 'figure': {
      const parts = figureParts(md, doc, shortcode, bodyLine)
      return parts.open + md.utils.escapeHtml(parts.caption) + parts.close
    }
    case 'highlight':
      report(doc, 'error', bodyLine, 'Hugo "highlight" shortcode must be on a line of its own, and so must its {{< /highlight >}}')
      return ''
    default:
      reportUnknown(doc, shortcode, bodyLine)
      return ''
  }
}
