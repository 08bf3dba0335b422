import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import type { Cache } from '../ports.ts'

/** What every Cache must do. `open` gives a connected cache; keys are unique per run, so a shared server is fine. */
export const cacheContract = (t: Test, open: () => Promise<Cache>): void => {
  const key = () => `contract:${randomUUID()}`
  let cache: Cache
  t.before(async () => {
    cache = await open()
  })
  t.teardown(() => cache.close())

  t.test('an unknown key reads as null', async t => {
    t.equal(await cache.get(key()), null)
  })

  t.test('set, overwrite, delete', async t => {
    const k = key()
    await cache.set(k, 'one')
    t.equal(await cache.get(k), 'one')
    await cache.set(k, 'zwei ✓')
    t.equal(await cache.get(k), 'zwei ✓')
    await cache.delete(k)
    t.equal(await cache.get(k), null)
    await cache.delete(k)
    t.pass('deleting an absent key is fine')
  })

  t.test('an entry with a ttl expires, one without stays', async t => {
    const [short, lasting] = [key(), key()]
    await cache.set(short, 'short', 1)
    await cache.set(lasting, 'lasting')
    t.equal(await cache.get(short), 'short')
    await sleep(1_300)
    t.equal(await cache.get(short), null)
    t.equal(await cache.get(lasting), 'lasting')
    await cache.delete(lasting)
  })
}
