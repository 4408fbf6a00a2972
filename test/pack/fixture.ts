/**
 * A multi-level site: nested folders, pages, a few assets over one chunk, and a folder
 * of 1000 entries (ipfs-car shards above 1000) that stays under the HAMT threshold (ipfs-car shards by count,
 * IPIP-499 by size: both must be flat here). No symlinks, hidden files or empty
 * folders, which ipfs-car treats differently.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { OutputFile } from '../../src/render/types.ts'
import { bytesFor } from './helpers.ts'

export function siteFiles(variant = ''): OutputFile[] {
  const files: OutputFile[] = [
    { path: 'index.html', content: bytesFor(`index${variant}`, 3000) },
    { path: 'feed.xml', content: bytesFor('feed', 12000) },
    { path: 'assets/css/site.css', content: bytesFor('css', 4000) },
    { path: 'assets/img/cover.jpg', content: bytesFor('cover', 2_500_000) },
    { path: 'assets/video/clip.mp4', content: bytesFor('clip', 1024 * 1024 + 7) },
    { path: 'about/index.html', content: bytesFor('about', 2500) },
  ]
  for (let i = 0; i < 40; i++) {
    files.push({ path: `posts/2024/post-${i}/index.html`, content: bytesFor(`post-${i}`, 1000 + i * 37) })
  }
  for (let i = 0; i < 1000; i++) files.push({ path: `tags/t${i}.html`, content: bytesFor(`tag-${i}`, 64) })
  return files
}

export async function writeSite(dir: string, files: OutputFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true })
    await writeFile(join(dir, file.path), file.content as Uint8Array)
  }
}
