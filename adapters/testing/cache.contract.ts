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

  t.test('increment counts from 1, and get reads the count', async t => {
    const k = key()
    t.equal(await cache.increment(k, 60), 1)
    t.equal(await cache.increment(k, 60), 2)
    t.equal(await cache.get(k), '2')
    await cache.delete(k)
    t.equal(await cache.increment(k, 60), 1, 'deleted, it starts over')
    await cache.set(k, 'one')
    await t.rejects(cache.increment(k, 1), 'a value that is no count is not counted on')
    await sleep(1_100)
    t.equal(await cache.get(k), 'one', 'nor given an expiry')
    await cache.delete(k)
  })

  t.test('increment adds the amount it is given', async t => {
    const k = key()
    t.equal(await cache.increment(k, 60, 4_000_000), 4_000_000)
    t.equal(await cache.increment(k, 60, 2_500), 4_002_500)
    t.equal(await cache.increment(k, 60), 4_002_501)
    await cache.delete(k)
  })

  t.test('concurrent increments each get a count of their own', async t => {
    const k = key()
    const counts = await Promise.all(Array.from({ length: 50 }, () => cache.increment(k, 60)))
    t.same([...counts].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1), '1 to 50, none twice')
    t.equal(await cache.get(k), '50')
    await cache.delete(k)
  })

  t.test('a counter expires ttl after its first increment: later ones do not extend it', async t => {
    const k = key()
    t.equal(await cache.increment(k, 2), 1)
    await sleep(1_200)
    t.equal(await cache.increment(k, 2), 2, 'still counting within the window')
    await sleep(1_100)
    t.equal(await cache.get(k), null, 'gone 2 s after the first increment, not after the last')
    t.equal(await cache.increment(k, 2), 1, 'a new window starts at 1')
    await cache.delete(k)
  })

  t.test('countDistinct counts the members seen within the window', async t => {
    const k = key()
    const window = (nowMs: number) => ({ windowMs: 60_000, nowMs })
    t.equal(await cache.countDistinct(k, 'a', window(1_000)), 1)
    t.equal(await cache.countDistinct(k, 'a', window(2_000)), 1, 'a member seen again counts once')
    t.equal(await cache.countDistinct(k, 'b', window(3_000)), 2)
    t.equal(await cache.countDistinct(k, 'c', window(62_500)), 2, 'a, last seen over 60 s before, is forgotten; b is not')
    t.equal(await cache.countDistinct(k, 'a', window(62_900)), 3, 'a seen again counts again')
    t.equal(await cache.get(k), null, 'apart from the keys get reads')
    await cache.delete(k)
    t.equal(await cache.countDistinct(k, 'z', window(62_000)), 1, 'deleted, it starts over')
    await cache.delete(k)
  })

  t.test('concurrent countDistinct calls each count those before', async t => {
    const k = key()
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.countDistinct(k, `m${i}`, { windowMs: 60_000, nowMs: 1_000 })))
    t.same([...counts].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), '1 to 20, none twice')
    await cache.delete(k)
  })

  t.test('a set of members expires its window after its last note', async t => {
    const k = key()
    const now = Date.now()
    t.equal(await cache.countDistinct(k, 'a', { windowMs: 1_000, nowMs: now }), 1)
    await sleep(1_300)
    t.equal(await cache.countDistinct(k, 'b', { windowMs: 1_000, nowMs: now - 10_000 }), 1, 'the set expired: only b, though noted as of long ago')
    await cache.delete(k)
  })
}
