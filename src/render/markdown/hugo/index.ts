/** Hugo shortcodes, so posts moved from a Hugo site render without edits. */
import type { MarkdownIt } from 'markdown-it'
import { shortcodeBlockPlugin } from './block.ts'
import { shortcodeHtmlPlugin } from './html.ts'
import { shortcodeInlinePlugin } from './inline.ts'
import { refLinksPlugin } from './refs.ts'

export function hugoShortcodesPlugin(md: MarkdownIt): void {
  shortcodeBlockPlugin(md)
  shortcodeInlinePlugin(md)
  refLinksPlugin(md)
  shortcodeHtmlPlugin(md)
}
