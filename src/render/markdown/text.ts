/**
 * The plain text of a rendered body, for summaries and reading time: the words a
 * reader reads, one block per line. Code blocks and raw HTML are left out, since
 * they would make a poor summary and are not read like prose.
 */
import type { Token } from 'markdown-it'

function inlineText(children: Token[]): string {
  let text = ''
  for (const child of children) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
      case 'emoji':
        text += child.content
        break
      case 'softbreak':
        text += ' '
        break
      case 'hardbreak':
        text += '\n'
        break
    }
  }
  return text
}

export function plainText(tokens: Token[]): string {
  const blocks: string[] = []
  for (const token of tokens) {
    if (token.type !== 'inline' || !token.children) continue
    const text = inlineText(token.children).trim()
    if (text !== '') blocks.push(text)
  }
  return blocks.join('\n')
}
