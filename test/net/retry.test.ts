import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AbortError } from '../../src/errors.ts'
import {
  backoffDelay,
  fetchWithRetry,
  isRetryableStatus,
  parseRetryAfter,
  RequestTimeoutError,
  type RetryInfo,
} from '../../src/net/retry.ts'

/** A fetch that plays back a script: a status, or an error to throw, per call. */
function scripted(script: Array<number | Error | { status: number; headers: Record<string, string> }>) {
  const calls: string[] = []
  const fetchFn: typeof fetch = async (input) => {
    calls.push(String(input))
    const step = script.shift()
    if (step === undefined) throw new Error('the script ran out')
    if (step instanceof Error) throw step
    const { status, headers } = typeof step === 'number' ? { status: step, headers: {} } : step
    return new Response(status === 204 ? null : `status ${status}`, { status, headers })
  }
  return { fetchFn, calls }
}

const quick = { minDelayMs: 1, maxDelayMs: 4, random: () => 0.5 }

describe('fetchWithRetry', () => {
  it('retries 5xx and 429 and returns the first success', async () => {
    const { fetchFn, calls } = scripted([503, 429, 200])
    const seen: RetryInfo[] = []
    const response = await fetchWithRetry('http://x/a', {}, { ...quick, fetch: fetchFn, onRetry: (i) => seen.push(i) })
    assert.equal(response.status, 200)
    assert.equal(calls.length, 3)
    assert.deepEqual(
      seen.map((i) => [i.attempt, i.reason]),
      [
        [2, 'HTTP 503 Service Unavailable'],
        [3, 'HTTP 429 Too Many Requests'],
      ],
    )
  })

  it('does not retry a 4xx other than 408 and 429, nor 501', async () => {
    for (const status of [400, 404, 406, 410, 501]) {
      const { fetchFn, calls } = scripted([status, 200])
      const response = await fetchWithRetry('http://x/a', {}, { ...quick, fetch: fetchFn })
      assert.deepEqual([response.status, calls.length], [status, 1])
    }
  })

  it('returns the last response once the retries are spent', async () => {
    const { fetchFn, calls } = scripted([500, 500, 500])
    const response = await fetchWithRetry('http://x/a', {}, { ...quick, retries: 2, fetch: fetchFn })
    assert.deepEqual([response.status, calls.length], [500, 3])
  })

  it('retries network errors, then throws the last one', async () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })
    const { fetchFn, calls } = scripted([refused, refused])
    await assert.rejects(fetchWithRetry('http://x/a', {}, { ...quick, retries: 1, fetch: fetchFn }), /fetch failed/)
    assert.equal(calls.length, 2)
  })

  it('waits at least what Retry-After asks', async () => {
    const { fetchFn } = scripted([{ status: 429, headers: { 'retry-after': '1' } }, 200])
    const seen: RetryInfo[] = []
    const started = performance.now()
    await fetchWithRetry('http://x/a', {}, { ...quick, fetch: fetchFn, onRetry: (i) => seen.push(i) })
    assert.equal(seen[0]?.delayMs, 1000)
    assert.ok(performance.now() - started >= 990)
  })

  it('stops retrying when Retry-After is beyond maxRetryAfterMs', async () => {
    const { fetchFn, calls } = scripted([{ status: 503, headers: { 'retry-after': '3600' } }, 200])
    const response = await fetchWithRetry('http://x/a', {}, { ...quick, fetch: fetchFn })
    assert.deepEqual([response.status, calls.length], [503, 1])
  })

  it('times out an attempt whose headers do not come, and retries it', async () => {
    let calls = 0
    const hanging: typeof fetch = (_input, init) => {
      calls++
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
    }
    await assert.rejects(fetchWithRetry('http://x/a', {}, { ...quick, retries: 1, timeoutMs: 20, fetch: hanging }), (err: unknown) => {
      assert.ok(err instanceof RequestTimeoutError)
      assert.equal(err.message, 'no response within 20 ms')
      return true
    })
    assert.equal(calls, 2)
  })

  it('throws AbortError at once when the signal fires, during a request or a backoff', async () => {
    const { fetchFn, calls } = scripted([500, 200])
    const controller = new AbortController()
    const running = fetchWithRetry('http://x/a', {}, { minDelayMs: 60_000, fetch: fetchFn, signal: controller.signal, onRetry: () => controller.abort() })
    await assert.rejects(running, AbortError)
    assert.equal(calls.length, 1)
    await assert.rejects(fetchWithRetry('http://x/a', {}, { fetch: fetchFn, signal: AbortSignal.abort() }), AbortError)
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-11-01T10:00:00Z')
    assert.equal(parseRetryAfter('120', now), 120_000)
    assert.equal(parseRetryAfter('Sun, 01 Nov 2026 10:00:30 GMT', now), 30_000)
    assert.equal(parseRetryAfter('Sun, 01 Nov 2026 09:00:00 GMT', now), 0)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(parseRetryAfter(null, now), undefined)
  })
})

describe('backoffDelay', () => {
  it('doubles from the minimum, stays under the maximum, and jitters within the upper half', () => {
    const policy = { minDelayMs: 100, maxDelayMs: 1000 }
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...policy, random: () => 0.999999 })), [100, 200, 400, 800, 1000])
    assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, { ...policy, random: () => 0 })), [50, 100, 200])
  })
})

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx except 501 and 505', () => {
    assert.deepEqual(
      [200, 400, 404, 408, 429, 500, 501, 502, 503, 504, 505].filter(isRetryableStatus),
      [408, 429, 500, 502, 503, 504],
    )
  })
})
