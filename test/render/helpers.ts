/** Shared helpers for the renderer tests: fixtures, output lookup, HTML parsing. */
import { fileURLToPath } from 'node:url'
import type { ChildNode, Document, Element } from 'domhandler'
import { parseDocument } from 'htmlparser2'
import type { OutputFile } from '../../src/render/types.ts'

export const SITE_DIR = fileURLToPath(new URL('../../site/', import.meta.url))

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/sites/${name}/`, import.meta.url))
}

const decoder = new TextDecoder()

/** The text of a rendered file; fails the test when the file is missing or is a copied file. */
export function text(files: readonly OutputFile[], path: string): string {
  const file = files.find((f) => f.path === path)
  if (file === undefined) throw new Error(`no output file ${path}`)
  if (!(file.content instanceof Uint8Array)) throw new Error(`${path} is a copied file, not rendered text`)
  return decoder.decode(file.content)
}

export function html(files: readonly OutputFile[], path: string): Document {
  return parseDocument(text(files, path))
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style'
}

/** Every element under `root` matching `test`, in document order. */
export function findAll(root: Document | Element, test: (el: Element) => boolean): Element[] {
  const out: Element[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isElement(node)) continue
      if (test(node)) out.push(node)
      visit(node.children)
    }
  }
  visit(root.children)
  return out
}

export const byTag = (name: string) => (el: Element) => el.name === name

/** Elements by tag name and optional class. */
export function select(root: Document | Element, name: string, className?: string): Element[] {
  return findAll(root, (el) => el.name === name && (className === undefined || (el.attribs.class ?? '').split(/\s+/).includes(className)))
}

export function textContent(node: ChildNode): string {
  if (node.type === 'text') return node.data
  if ('children' in node) return (node.children as ChildNode[]).map(textContent).join('')
  return ''
}
