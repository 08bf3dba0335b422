import t from 'tap'
import type { Cache } from '../adapters/ports.ts'
import { MemoryCache } from '../adapters/embedded/memoryCache.ts'
import { degradingCache } from './degradingCache.ts'

/** A cache whose server is away: each call fails, or never answers. */
const away = (calls: string[], failure: 'fails' | 'hangs'): Cache => {
  const call = (name: string) => {
    calls.push(name)
    return failure === 'fails' ? Promise.reject(new Error('connection refused')) : new Promise<never>(() => {})
  }
  return { get: () => call('get'), set: () => call('set'), delete: () => call('delete'), close: async () => {} }
}

t.test('answers as the cache does while it works', async t => {
  const cache = degradingCache(new MemoryCache())
  await cache.set('k', 'v', 60)
  t.equal(await cache.get('k'), 'v')
  await cache.delete('k')
  t.equal(await cache.get('k'), null)
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

t.test('a cache that does not answer costs at most the timeout', async t => {
  const cache = degradingCache(away([], 'hangs'), { timeoutMs: 50 })
  const started = performance.now()
  t.equal(await cache.get('k'), null)
  t.ok(performance.now() - started < 500)
})
