/**
 * Images: the `![alt](src =WxH)` size syntax (markdown-it-imsize, VuePress and
 * Typora write it), and lazy, asynchronous decoding for every Markdown image so
 * long posts do not load all their images before the first paint.
 */
import type { MarkdownIt, StateInline, Token } from 'markdown-it'

/** `=400x`, `=400x300` or `=x300`, right after the destination and a space. */
const SIZE = /^=(\d+)?x(\d+)?(?=[\s)])/

function skipSpaces(src: string, pos: number, max: number): number {
  let at = pos
  while (at < max && (src[at] === ' ' || src[at] === '\t' || src[at] === '\n')) at++
  return at
}

/** Only claims images that carry a size; all others go to markdown-it's own rule. */
function sizedImage(state: StateInline, silent: boolean): boolean {
  const { src, posMax: max } = state
  const start = state.pos
  if (src.charCodeAt(start) !== 0x21 /* ! */ || src.charCodeAt(start + 1) !== 0x5b /* [ */) return false
  const labelEnd = state.md.helpers.parseLinkLabel(state, start + 1, false)
  if (labelEnd < 0 || src.charCodeAt(labelEnd + 1) !== 0x28 /* ( */) return false

  let pos = skipSpaces(src, labelEnd + 2, max)
  const destination = state.md.helpers.parseLinkDestination(src, pos, max)
  if (!destination.ok) return false
  const href = state.md.normalizeLink(destination.str)
  if (!state.md.validateLink(href)) return false
  pos = skipSpaces(src, destination.pos, max)
  if (pos === destination.pos) return false

  const size = SIZE.exec(src.slice(pos, max))
  const [sizeText, width, height] = size ?? []
  if (sizeText === undefined || (width === undefined && height === undefined)) return false
  pos = skipSpaces(src, pos + sizeText.length, max)

  let title = ''
  const titleResult = state.md.helpers.parseLinkTitle(src, pos, max)
  if (titleResult.ok) {
    title = titleResult.str
    pos = skipSpaces(src, titleResult.pos, max)
  }
  if (src.charCodeAt(pos) !== 0x29 /* ) */) return false

  if (!silent) {
    const content = src.slice(start + 2, labelEnd)
    const children: Token[] = []
    state.md.inline.parse(content, state.md, state.env, children)
    const token = state.push('image', 'img', 0)
    token.attrs = [
      ['src', href],
      ['alt', ''],
    ]
    if (title !== '') token.attrs.push(['title', title])
    if (width !== undefined) token.attrs.push(['width', width])
    if (height !== undefined) token.attrs.push(['height', height])
    token.children = children
    token.content = content
  }
  state.pos = pos + 1
  return true
}

export function imagesPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('image', 'image_size', sizedImage)
  const base = md.renderer.rules.image
  if (base === undefined) throw new Error('markdown-it has no image renderer rule')
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrSet('loading', 'lazy')
    tokens[idx]?.attrSet('decoding', 'async')
    return base(tokens, idx, options, env, self)
  }
}
