import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadConfig, normalizeConfig } from '../../src/config/index.ts'
import { ConfigError } from '../../src/errors.ts'

let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-config-'))
  await writeFile(join(dir, 'package.json'), '{"type": "module"}')
  await mkdir(join(dir, 'pipeline'))
})

after(() => rm(dir, { recursive: true, force: true }))

describe('normalizeConfig', () => {
  it('applies the documented defaults relative to the project root', async () => {
    const config = await normalizeConfig({}, undefined, dir)
    assert.equal(config.root, dir)
    assert.equal(config.site, join(dir, 'site'))
    assert.equal(config.build.out, join(dir, 'dist'))
    assert.equal(config.build.command, undefined)
    assert.equal(config.build.cache, true)
    assert.deepEqual(config.pack, { profile: 'unixfs-v1-2025', hidden: false })
    assert.equal(config.store, join(dir, '.ipfs-publish'))
  })

  it('resolves paths against the nearest folder with a package.json above the config file', async () => {
    const config = await normalizeConfig({ site: 'blog' }, join(dir, 'pipeline', 'publish.config.ts'), dir)
    assert.equal(config.root, dir)
    assert.equal(config.site, join(dir, 'blog'))
  })

  it('names the option, the accepted values and the file when a value is wrong', async () => {
    await assert.rejects(
      normalizeConfig({ pack: { profile: 'v2' } }, '/p/publish.config.ts', dir),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.equal(
          err.message,
          "/p/publish.config.ts: `pack.profile` must be one of 'unixfs-v1-2025', 'unixfs-v0-2015', got 'v2'",
        )
        return true
      },
    )
  })

  it('rejects an unknown option and suggests the nearest known one', async () => {
    await assert.rejects(normalizeConfig({ biuld: {} }, '/p/c.json', dir), {
      name: 'ConfigError',
      message: '/p/c.json: `biuld` is not a known option (did you mean `build`?)',
    })
  })

  it('rejects a wrong type nested in an object', async () => {
    await assert.rejects(normalizeConfig({ pack: { hidden: 'yes' } }, undefined, dir), {
      message: "`pack.hidden` must be true or false, got 'yes'",
    })
    await assert.rejects(normalizeConfig({ build: { cache: 'off' } }, undefined, dir), {
      message: "`build.cache` must be true or false, got 'off'",
    })
  })
})

describe('loadConfig', () => {
  it('loads a .ts config through its default export', async () => {
    const file = join(dir, 'pipeline', 'publish.config.ts')
    await writeFile(file, "export default { site: 'content', pack: { hidden: true } }\n")
    const config = await loadConfig(undefined, { cwd: dir })
    assert.equal(config.file, file)
    assert.equal(config.site, join(dir, 'content'))
    assert.equal(config.pack.hidden, true)
    await rm(file)
  })

  it('loads the same shape from a .json file given explicitly', async () => {
    const file = join(dir, 'other.json')
    await writeFile(file, JSON.stringify({ build: { out: 'public', command: 'hugo' } }))
    const config = await loadConfig('other.json', { cwd: dir })
    assert.equal(config.build.out, join(dir, 'public'))
    assert.equal(config.build.command, 'hugo')
  })

  it('says which file is malformed JSON', async () => {
    const file = join(dir, 'broken.json')
    await writeFile(file, '{ "site": ')
    await assert.rejects(loadConfig(file, { cwd: dir }), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.match(err.message, /broken\.json: is not valid JSON/)
      return true
    })
  })

  it('asks for a default export when a .ts config has none', async () => {
    const file = join(dir, 'nodefault.ts')
    await writeFile(file, 'export const config = {}\n')
    await assert.rejects(loadConfig(file, { cwd: dir }), /nodefault\.ts: has no default export/)
  })

  it('reports a missing --config file with its path', async () => {
    await assert.rejects(loadConfig('nope.ts', { cwd: dir }), /config file not found: .*nope\.ts/)
  })

  it('uses built-in defaults when no config file exists', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ipfs-publish-noconfig-'))
    const config = await loadConfig(undefined, { cwd: empty })
    assert.equal(config.file, undefined)
    assert.equal(config.site, join(empty, 'site'))
    await rm(empty, { recursive: true })
  })
})
