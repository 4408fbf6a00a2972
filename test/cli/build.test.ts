import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCli } from '../helpers/cli.ts'

const FIXTURES = fileURLToPath(new URL('../fixtures/sites/', import.meta.url))
let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-build-cli-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
})

after(() => rm(dir, { recursive: true, force: true }))

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()
}

describe('ipfs-publish build', () => {
  it('writes the site and prints its counts as JSON on stdout', async () => {
    const out = join(dir, 'out-json')
    const run = await runCli(['build', '--site', join(FIXTURES, 'blogs'), '--out', out, '--json'], { cwd: dir })
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as { generator: string; outDir: string; files: number; pages: number; posts: number; bytes: number }
    assert.equal(result.generator, 'ipfs-publish')
    assert.equal(result.outDir, out)
    const files = await listFiles(out)
    assert.equal(result.files, files.length)
    assert.equal(result.pages, files.filter((f) => f.endsWith('.html')).length)
    assert.ok(result.posts > 0)
    let bytes = 0
    for (const f of files) bytes += (await stat(join(out, f))).size
    assert.equal(result.bytes, bytes)
    assert.ok(files.includes('index.html') && files.includes('feed.xml') && files.includes('ipfs-404.html'))
  })

  it('writes byte-identical output on a second build', async () => {
    const a = join(dir, 'out-a')
    const b = join(dir, 'out-b')
    for (const out of [a, b]) {
      const run = await runCli(['build', '--quiet', '--site', join(FIXTURES, 'blogs'), '--out', out], { cwd: dir })
      assert.equal(run.code, 0, run.stderr)
    }
    const files = await listFiles(a)
    assert.deepEqual(await listFiles(b), files)
    for (const f of files) assert.ok((await readFile(join(a, f))).equals(await readFile(join(b, f))), `${f} differs`)
  })

  it('writes nothing with --dry-run and says so', async () => {
    const out = join(dir, 'out-dry')
    const run = await runCli(['build', '--site', join(FIXTURES, 'blogs'), '--out', out, '--dry-run'], { cwd: dir })
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, /built \d+ pages \(\d+ posts\), \d+ files, .* in memory \(dry run, nothing written\)/)
    await assert.rejects(stat(out), { code: 'ENOENT' })
  })

  it('keeps a render cache in the store and reuses it; --no-cache neither reads nor writes it', async () => {
    const project = join(dir, 'cached')
    await mkdir(project)
    await writeFile(join(project, 'package.json'), '{"type": "module"}')
    const args = ['build', '--site', join(FIXTURES, 'blogs'), '--out', join(project, 'dist')]
    const uncached = await runCli([...args, '--no-cache'], { cwd: project })
    assert.equal(uncached.code, 0, uncached.stderr)
    assert.doesNotMatch(uncached.stderr, /render cache/)
    await assert.rejects(stat(join(project, '.ipfs-publish')), { code: 'ENOENT' })

    const cold = await runCli(args, { cwd: project })
    assert.equal(cold.code, 0, cold.stderr)
    assert.match(cold.stderr, /render cache: reused 0 of (\d+) posts and 0 of \d+ pages/)
    assert.ok((await readdir(join(project, '.ipfs-publish', 'render-cache'))).includes('manifest'))
    const warm = await runCli([...args, '--json'], { cwd: project })
    assert.equal(warm.code, 0, warm.stderr)
    const result = JSON.parse(warm.stdout) as { posts: number; pages: number; cache: { posts: { cached: number }; pages: { cached: number } } }
    assert.equal(result.cache.posts.cached, result.posts)
    assert.equal(result.cache.pages.cached, result.pages - 2)
    assert.match(warm.stderr, new RegExp(`render cache: reused ${result.posts} of ${result.posts} posts`))
  })

  it('fails listing every problem with file:line, and keeps the previous output', async () => {
    const out = join(dir, 'out-broken')
    const ok = await runCli(['build', '--quiet', '--site', join(FIXTURES, 'blogs'), '--out', out], { cwd: dir })
    assert.equal(ok.code, 0, ok.stderr)
    const before = await listFiles(out)
    const run = await runCli(['build', '--site', join(FIXTURES, 'broken'), '--out', out, '--json'], { cwd: dir })
    assert.equal(run.code, 1)
    const body = JSON.parse(run.stdout) as { error: { code: string; diagnostics: Array<{ file: string; line?: number; message: string }> } }
    assert.equal(body.error.code, 'ERR_RENDER')
    assert.ok(body.error.diagnostics.length >= 3)
    assert.ok(body.error.diagnostics.some((d) => /date/.test(d.message) && d.line !== undefined))
    assert.match(run.stderr, /error: the site has \d+ problems:\n {2}\S+\.md:\d+: /)
    assert.deepEqual(await listFiles(out), before)
  })
})

describe('build.command', () => {
  it('runs another generator in the project root and reports what it wrote', async () => {
    const config = join(dir, 'command.json')
    const script = "mkdir -p public/a && printf '<p>hi</p>' > public/index.html && printf x > public/a/b.txt && echo generated"
    await writeFile(config, JSON.stringify({ build: { command: script, out: 'public' } }))
    const run = await runCli(['build', '--config', config, '--json'], { cwd: dir })
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout) as { generator: string; outDir: string; files: number; pages: number; bytes: number }
    assert.deepEqual(
      { generator: result.generator, outDir: result.outDir, files: result.files, pages: result.pages, bytes: result.bytes },
      { generator: 'command', outDir: join(dir, 'public'), files: 2, pages: 1, bytes: 10 },
    )
    // The generator's own output goes to stderr so that stdout stays parseable JSON.
    assert.match(run.stderr, /generated/)
  })

  it('names the command and its exit code when it fails', async () => {
    const config = join(dir, 'failing.json')
    await writeFile(config, JSON.stringify({ build: { command: 'exit 3', out: 'public' } }))
    const run = await runCli(['build', '--config', config], { cwd: dir })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /error: build\.command failed with exit code 3: exit 3/)
  })

  it('says which folder is missing when the command wrote somewhere else', async () => {
    const config = join(dir, 'elsewhere.json')
    await writeFile(config, JSON.stringify({ build: { command: 'true', out: 'not-there' } }))
    const run = await runCli(['build', '--config', config], { cwd: dir })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /its output folder .*not-there does not exist: set build\.out/)
  })
})
