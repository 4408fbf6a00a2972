/**
 * The two seeded corpora of the pack benchmark: a large blog (20,000 pages of 2-30 KB
 * in nested folders, 2,000 images of 50-500 KB, about 0.9 GB) and a media set (20
 * files of 50 MB). Contents come from a ChaCha20 keystream, so they are incompressible
 * and identical on every machine. No folder holds over 1000 entries: above that
 * ipfs-car shards by count and the CIDs could not be compared.
 */
import { createCipheriv, createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { seededRandom } from './random.ts'

export interface Corpus {
  name: string
  dir: string
}

function stream(seed: string): (n: number) => Buffer {
  const cipher = createCipheriv('chacha20', createHash('sha256').update(seed).digest(), Buffer.alloc(16))
  return (n) => cipher.update(Buffer.alloc(n))
}

async function generate(dir: string, files: Iterable<{ path: string; size: number }>, seed: string): Promise<void> {
  const bytes = stream(seed)
  const made = new Set<string>()
  for (const { path, size } of files) {
    const parent = dirname(join(dir, path))
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true })
      made.add(parent)
    }
    await writeFile(join(dir, path), bytes(size))
  }
}

function* blogFiles(): Generator<{ path: string; size: number }> {
  const random = seededRandom('pack-bench-blog')
  for (let i = 0; i < 20_000; i++) {
    const year = 2005 + Math.floor(i / 1000)
    const month = String(1 + (Math.floor(i / 100) % 10)).padStart(2, '0')
    yield { path: `posts/${year}/${month}/post-${i}/index.html`, size: 2048 + Math.floor(random() * 28 * 1024) }
  }
  for (let i = 0; i < 2_000; i++) {
    yield { path: `assets/img/${String(Math.floor(i / 200)).padStart(2, '0')}/img-${i}.jpg`, size: 50_000 + Math.floor(random() * 450_000) }
  }
}

function* mediaFiles(): Generator<{ path: string; size: number }> {
  for (let i = 0; i < 20; i++) yield { path: `video-${String(i).padStart(2, '0')}.mp4`, size: 50 * 1024 * 1024 }
}

/** The corpora, generated on first use; a marker beside each says it was completed. */
export async function corpora(root: string): Promise<Corpus[]> {
  const specs = [
    { name: 'blog', files: blogFiles },
    { name: 'media', files: mediaFiles },
  ]
  const out: Corpus[] = []
  for (const spec of specs) {
    const dir = join(root, `pack-${spec.name}`)
    const marker = `${dir}.complete`
    if (!existsSync(marker)) {
      console.log(`generating the ${spec.name} corpus in ${dir} ...`)
      await rm(dir, { recursive: true, force: true })
      await generate(dir, spec.files(), `pack-bench-${spec.name}`)
      await writeFile(marker, `${new Date().toISOString()}\n`)
    }
    out.push({ name: spec.name, dir })
  }
  return out
}
