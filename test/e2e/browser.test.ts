/**
 * The blog in a real browser (Debian's Chromium driven by playwright-core), served by
 * `startLocal` through the path gateway and the subdomain gateway: every link relative,
 * every asset found, nothing fetched from anywhere but this machine.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { normalizeConfig } from '../../src/config/index.ts'
import { type LocalSite, startLocal } from '../../src/local.ts'
import { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const SCREENSHOTS = join(REPO, 'test-output', 'browser')

let dir: string
let site: LocalSite | undefined
let browser: Browser | undefined

before(async () => {
  if (!existsSync(CHROMIUM)) return
  dir = await mkdtemp(join(tmpdir(), 'ipfs-publish-browser-'))
  const config = await normalizeConfig({ root: REPO, site: join(REPO, 'site'), store: join(dir, 'store'), build: { out: join(dir, 'dist') } }, undefined, dir)
  site = await startLocal({ config, port: 0 })
  browser = await launchChromium()
  await mkdir(SCREENSHOTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  await site?.stop()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

const isLoopback = (url: string): boolean => {
  const { protocol, hostname } = new URL(url)
  if (protocol === 'data:' || protocol === 'about:') return true
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname.endsWith('.localhost')
}

interface Traffic {
  /** Every request the pages made, as `status url` (or `failed: reason url`). */
  log: string[]
  problems: string[]
}

/** Records every request of the page; one that leaves this machine is stopped and counted. */
async function watch(page: Page): Promise<Traffic> {
  const traffic: Traffic = { log: [], problems: [] }
  await page.context().route('**/*', (route) => {
    const url = route.request().url()
    if (isLoopback(url)) return route.continue()
    traffic.problems.push(`left this machine: ${url}`)
    return route.abort('blockedbyclient')
  })
  page.on('response', (response) => {
    traffic.log.push(`${response.status()} ${response.url()}`)
    if (response.status() < 200 || response.status() > 299) traffic.problems.push(`${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    traffic.log.push(`failed ${request.url()}`)
    traffic.problems.push(`failed (${request.failure()?.errorText}): ${request.url()}`)
  })
  return traffic
}

/**
 * Loads every image, lazy ones included (a full-page screenshot would start those late,
 * and a click away would then abort them), checks that each one decoded, waits until the
 * network is quiet, and screenshots the page.
 */
async function settle(page: Page, shot: string): Promise<void> {
  await page.evaluate(() => {
    for (const img of document.images) img.loading = 'eager'
  })
  await page.waitForFunction(() => [...document.images].every((img) => img.complete))
  await page.waitForLoadState('networkidle')
  const broken = await page.evaluate(() => [...document.images].filter((img) => img.naturalWidth === 0).map((img) => img.src))
  assert.deepEqual(broken, [], `images that did not load on ${page.url()}`)
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true })
}

async function browse(t: TestContext, gateway: 'path' | 'subdomain'): Promise<void> {
  if (chromiumMissing(t)) return
  assert.ok(site !== undefined && browser !== undefined)
  const home = gateway === 'path' ? site.urls.path : site.urls.subdomain
  assert.ok(home !== undefined)
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const traffic = await watch(page)

    const response = await page.goto(home)
    assert.equal(response?.status(), 200)
    assert.equal(page.url(), home, 'no redirect away from the home page')
    await settle(page, `${gateway}-home`)
    assert.match(await page.title(), /ipfs-publish/)

    const postLink = page.locator('.card-title a').first()
    const postTitle = (await postLink.textContent())?.trim()
    assert.ok(postTitle !== undefined && postTitle !== '')
    await Promise.all([page.waitForURL(/\/posts\/[^/]+\/$/), postLink.click()])
    assert.ok(page.url().startsWith(home), `${page.url()} is under ${home}`)
    await settle(page, `${gateway}-post`)
    const h1 = page.locator('h1')
    assert.ok(await h1.isVisible(), 'the post title is visible')
    assert.equal((await h1.textContent())?.trim(), postTitle)
    const header = page.locator('figure.header-image img')
    assert.ok(await header.isVisible(), 'the header image is visible')
    assert.ok(await header.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the header image loaded')

    const tagLink = page.locator('a.tag').first()
    const tag = (await tagLink.textContent())?.trim()
    assert.ok(tag !== undefined && tag !== '')
    await Promise.all([page.waitForURL(new RegExp(`/tags/${tag}/$`)), tagLink.click()])
    await settle(page, `${gateway}-tag`)
    assert.ok(await page.getByRole('link', { name: postTitle }).first().isVisible(), `the tag page lists '${postTitle}'`)

    assert.deepEqual(traffic.problems, [], traffic.log.join('\n'))
    // The pages did load assets (CSS, images), so the check above had something to check.
    assert.ok(traffic.log.some((line) => /^200 .*\.css$/.test(line)), traffic.log.join('\n'))
    assert.ok(traffic.log.some((line) => /^200 .*\.svg$/.test(line)), traffic.log.join('\n'))
  } finally {
    await context.close()
  }
}

describe('the blog in Chromium', () => {
  it('opens through the path gateway, follows a post and a tag, and loads everything from this machine', (t) => browse(t, 'path'))
  it('opens through the subdomain gateway, follows a post and a tag, and loads everything from this machine', (t) => browse(t, 'subdomain'))
})
