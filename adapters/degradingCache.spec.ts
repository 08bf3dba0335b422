import t from 'tap'
import type { Cache } from './ports.ts'
import { MemoryCache } from './embedded/memoryCache.ts'
import { CounterUnavailable, degradingCache } from './degradingCache.ts'
import { toProblem } from '../http/errors.ts'

/** A cache whose server is away: each call fails, or never answers. */
const away = (calls: string[], failure: 'fails' | 'hangs'): Cache => {
  const call = (name: string) => {
    calls.push(name)
    return failure === 'fails' ? Promise.reject(new Error('connection refused')) : new Promise<never>(() => {})
  }
  return { get: () => call('get'), set: () => call('set'), increment: () => call('increment'), countDistinct: () => call('countDistinct'), delete: () => call('delete'), close: async () => {} }
}

t.test('answers as the cache does while it works', async t => {
  const cache = degradingCache(new MemoryCache())
  await cache.set('k', 'v', 60)
  t.equal(await cache.get('k'), 'v')
  await cache.delete('k')
  t.equal(await cache.get('k'), null)
  t.equal(await cache.increment('n', 60), 1)
  t.equal(await cache.increment('n', 60), 2)
})

t.test('a failing cache reads as misses and drops writes, and is left alone for a pause', async t => {
  const calls: string[] = []
  const failures: unknown[] = []
  const cache = degradingCache(away(calls, 'fails'), { pauseMs: 100, onFailure: error => failures.push(error) })
  t.equal(await cache.get('k'), null)
  await cache.set('k', 'v')
  await cache.delete('k')
  t.same(calls, ['get'], 'paused after the first failure')
  t.equal(failures.length, 1)
  await new Promise(resolve => setTimeout(resolve, 120))
  t.equal(await cache.get('k'), null)
  t.same(calls, ['get', 'get'], 'tried again after the pause')
})

t.test('a scan that cannot be counted counts as none: it fails open', async t => {
  const calls: string[] = []
  const cache = degradingCache(away(calls, 'fails'))
  t.equal(await cache.countDistinct('scan-networks:x', '192.0.2.0/24', { windowMs: 60_000, nowMs: 0 }), 0)
  t.same(calls, ['countDistinct'])
})

t.test('a cache that does not answer costs at most the timeout', async t => {
  const cache = degradingCache(away([], 'hangs'), { timeoutMs: 50 })
  const started = performance.now()
  t.equal(await cache.get('k'), null)
  t.ok(performance.now() - started < 500)
})

t.test('an increment fails closed: it rejects, answered as a 503, and does not wait out the pause', async t => {
  const calls: string[] = []
  const failures: unknown[] = []
  const cache = degradingCache(away(calls, 'fails'), { pauseMs: 100, onFailure: error => failures.push(error) })
  const refusal = await cache.increment('login-attempts:x', 900).then(
    () => null,
    (error: unknown) => error,
  )
  t.type(refusal, CounterUnavailable)
  t.match(toProblem(refusal), { status: 503, title: 'Service Unavailable' })
  t.match((refusal as Error).cause, { message: 'connection refused' }, 'the cause is kept for the log')
  await t.rejects(cache.increment('login-attempts:x', 900), CounterUnavailable, 'while paused too, without asking the server')
  t.same(calls, ['increment'])
  t.equal(failures.length, 1)
  t.equal(await cache.get('k'), null, 'the rest still degrades to misses')
})

t.test('an increment that does not answer is refused after the timeout', async t => {
  const cache = degradingCache(away([], 'hangs'), { timeoutMs: 50 })
  await t.rejects(cache.increment('n', 60), CounterUnavailable)
})
