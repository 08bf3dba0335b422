import t from 'tap'
import { cacheContract } from '../testing/cache.contract.ts'
import { MemoryCache } from './memoryCache.ts'

cacheContract(t, async () => new MemoryCache())

t.test('the least recently used entry goes first when full', async t => {
  const cache = new MemoryCache({ max: 2 })
  await cache.set('a', '1')
  await cache.set('b', '2')
  await cache.get('a')
  await cache.set('c', '3')
  t.equal(await cache.get('b'), null)
  t.equal(await cache.get('a'), '1')
})
