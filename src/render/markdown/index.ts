/** The Markdown stage of the renderer: Markdown body in, HTML, headings, text and diagnostics out. */
export { createMarkdownRenderer } from './renderer.ts'
