/**
 * Video embeds that respect the reader: a local poster link, no request to YouTube
 * or Vimeo until the reader clicks it, no JavaScript. Shared by `@[youtube](ID)`
 * (markdown-it-video syntax) and Hugo's `youtube`/`vimeo` shortcodes.
 */
import type { Env, MarkdownIt, StateBlock, StateInline } from 'markdown-it'
import { docOf, inlineBodyLine, report } from './context.ts'

export type VideoService = 'youtube' | 'vimeo'

const SERVICE_NAMES: Record<VideoService, string> = { youtube: 'YouTube', vimeo: 'Vimeo' }
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/
const VIMEO_ID = /^\d+$/
/** Services markdown-it-video knew; those that are gone or not embeddable here are errors, not text. */
const UNSUPPORTED_SERVICES = new Set(['vine', 'prezi', 'osf'])
const VIDEO_SYNTAX = /@\[([a-z]+)\]\(\s*([^()\s]*)\s*\)/iy
/** U+FE0E asks for the text form of ▶, not an emoji picture. */
const PLAY_SYMBOL = '\u25B6\uFE0E'

export function embedUrl(service: VideoService, id: string): string {
  return service === 'youtube' ? `https://www.youtube-nocookie.com/embed/${id}?autoplay=1` : `https://player.vimeo.com/video/${id}`
}

function idFromUrl(service: VideoService, value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value.startsWith('//') ? `https:${value}` : value)
  } catch {
    return undefined
  }
  const host = url.hostname.replace(/^(www|m|player)\./, '')
  const segments = url.pathname.split('/').filter((s) => s !== '')
  if (service === 'vimeo') return host === 'vimeo.com' ? segments.findLast((s) => VIMEO_ID.test(s)) : undefined
  if (host === 'youtu.be') return segments[0]
  if (host !== 'youtube.com' && host !== 'youtube-nocookie.com') return undefined
  if (segments[0] === 'watch') return url.searchParams.get('v') ?? undefined
  return ['embed', 'shorts', 'live', 'v'].includes(segments[0] ?? '') ? segments[1] : undefined
}

/** The video id from an id or a video page URL, or an error message saying what is wrong. */
export function parseVideoId(service: VideoService, value: string): { id: string } | { error: string } {
  const pattern = service === 'youtube' ? YOUTUBE_ID : VIMEO_ID
  const id = pattern.test(value) ? value : idFromUrl(service, value)
  if (id !== undefined && pattern.test(id)) return { id }
  const expected =
    service === 'youtube'
      ? 'an 11-character id (letters, digits, _ and -) or a youtube.com/youtu.be video URL'
      : 'a numeric id or a vimeo.com video URL'
  return { error: `invalid ${SERVICE_NAMES[service]} video "${value}": expected ${expected}` }
}

export function videoEmbedHtml(service: VideoService, id: string, title: string, escapeHtml: (s: string) => string): string {
  const name = SERVICE_NAMES[service]
  const label = title === '' ? `Play video on ${name}` : `${title} (play on ${name})`
  return (
    `<a class="video-embed video-embed-${service}" href="${escapeHtml(embedUrl(service, id))}" rel="noopener">` +
    `<span class="video-embed-play" aria-hidden="true">${PLAY_SYMBOL}</span>` +
    `<span class="video-embed-label">${escapeHtml(label)}</span></a>`
  )
}

/** HTML for `@[service](value)`, or '' after reporting why it cannot be embedded. */
function embedOrReport(md: MarkdownIt, env: Env, bodyLine: number, service: string, value: string): string {
  const doc = docOf(env)
  const key = service.toLowerCase()
  if (key !== 'youtube' && key !== 'vimeo') {
    report(doc, 'error', bodyLine, `unsupported video service "@[${service}]": only youtube and vimeo embed; replace it with a link`)
    return ''
  }
  const parsed = parseVideoId(key, value)
  if ('error' in parsed) {
    report(doc, 'error', bodyLine, parsed.error)
    return ''
  }
  return videoEmbedHtml(key, parsed.id, '', md.utils.escapeHtml)
}

function isVideoService(name: string | undefined): name is string {
  const key = name?.toLowerCase() ?? ''
  return key === 'youtube' || key === 'vimeo' || UNSUPPORTED_SERVICES.has(key)
}

function videoInline(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false
  VIDEO_SYNTAX.lastIndex = state.pos
  const match = VIDEO_SYNTAX.exec(state.src)
  if (!match || state.pos + match[0].length > state.posMax || !isVideoService(match[1])) return false
  if (!silent) {
    const token = state.push('html_inline', '', 0)
    token.content = embedOrReport(state.md, state.env, inlineBodyLine(state), match[1], match[2] ?? '')
  }
  state.pos += match[0].length
  return true
}

/** On a line of its own the embed is a block, not an `<a>` wrapped in a paragraph. */
function videoBlock(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false
  const start = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0)
  if (state.src.charCodeAt(start) !== 0x40 /* @ */) return false
  const line = state.src.slice(start, state.eMarks[startLine])
  VIDEO_SYNTAX.lastIndex = 0
  const match = VIDEO_SYNTAX.exec(line)
  if (!match || !isVideoService(match[1]) || line.slice(match[0].length).trim() !== '') return false
  if (silent) return true
  const token = state.push('html_block', '', 0)
  token.map = [startLine, startLine + 1]
  const html = embedOrReport(state.md, state.env, startLine, match[1], match[2] ?? '')
  token.content = html === '' ? '' : `${html}\n`
  state.line = startLine + 1
  return true
}

export function videoPlugin(md: MarkdownIt): void {
  md.block.ruler.before('paragraph', 'video', videoBlock, { alt: ['paragraph'] })
  md.inline.ruler.before('link', 'video', videoInline)
}
