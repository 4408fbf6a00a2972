/**
 * Debian's Chromium for the end-to-end tests: launched with any site domains mapped
 * to loopback (so `http://<domain>:<port>/` reaches the local gateway through a real Host
 * header, as DNSLink needs), and a page opener that records every response.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import type { TestContext } from 'node:test'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Skips loudly without Chromium; under CI the missing package is a failure, not a skip. */
export function chromiumMissing(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return false
  const message = `chromium is not installed: apt-get install chromium (${CHROMIUM} is missing)`
  if (process.env.CI === 'true') assert.fail(`${message}; .ci/run installs it`)
  process.stderr.write(`\n*** SKIPPED a browser test: ${message} ***\n\n`)
  t.skip(message)
  return true
}

export function launchChromium(loopbackDomains: string[] = []): Promise<Browser> {
  const rules = loopbackDomains.map((d) => `MAP ${d} 127.0.0.1`).join(', ')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Nothing of its own to fetch from the internet while the test watches the traffic.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(rules === '' ? [] : [`--host-resolver-rules=${rules}`]),
    ],
  })
}

export interface Visit {
  title: string
  /** Every response as `status url`, and every failed request. */
  log: string[]
  /** Responses outside 2xx, failed requests, and requests that tried to leave loopback. */
  problems: string[]
}

/** Opens `url` in a fresh context, waits until the network is quiet, and reports what happened. */
export async function visit(browser: Browser, url: string, allowedHosts: (host: string) => boolean): Promise<Visit> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const log: string[] = []
    const problems: string[] = []
    await context.route('**/*', (route) => {
      const target = new URL(route.request().url())
      if (target.protocol === 'data:' || allowedHosts(target.hostname)) return route.continue()
      problems.push(`left this machine: ${target.href}`)
      return route.abort('blockedbyclient')
    })
    page.on('response', (response) => {
      log.push(`${response.status()} ${response.url()}`)
      if (response.status() < 200 || response.status() > 299) problems.push(`${response.status()} ${response.url()}`)
    })
    page.on('requestfailed', (request) => problems.push(`failed (${request.failure()?.errorText}): ${request.url()}`))
    const response = await page.goto(url)
    assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`)
    await page.waitForLoadState('networkidle')
    return { title: await page.title(), log, problems }
  } finally {
    await context.close()
  }
}
