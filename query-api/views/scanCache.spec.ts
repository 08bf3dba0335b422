import t from 'tap'
import { ScanCache, type CachedScan } from './scanCache.ts'

const entry = (ownerId: string, brandId = 'b1'): CachedScan => ({ ownerId, brandId, scans: new Map([['c', `{"owner":"${ownerId}","checkedAt":"`]]) })
const event = (streamId: string, position: number) => ({ streamId, position })

function following(capacity = 10, position = 5): ScanCache {
  const cache = new ScanCache(capacity)
  cache.reset(position)
  return cache
}

t.test('serves nothing until it follows the log, and drops everything when it stops', async t => {
  const cache = new ScanCache(10)
  cache.set('p1', entry('u1'), 0)
  t.equal(cache.get('p1'), undefined)
  cache.reset(5)
  cache.set('p1', entry('u1'), 5)
  t.ok(cache.get('p1'))
  cache.reset(null)
  t.equal(cache.get('p1'), undefined)
  cache.set('p1', entry('u1'), 5)
  t.equal(cache.get('p1'), undefined)
})

t.test("an event of the product's stream or of its owner's drops it; other events do not", async t => {
  const cache = following()
  cache.set('p1', entry('u1'), 5)
  cache.set('p2', entry('u2'), 5)
  cache.set('p3', entry('u1'), 5)
  cache.observe(event('product-p9', 6))
  cache.observe(event('user-u9', 7))
  cache.observe(event('collection-p1', 8))
  t.ok(cache.get('p1') && cache.get('p2') && cache.get('p3'), 'unrelated events')
  cache.observe(event('product-p2', 9))
  t.equal(cache.get('p2'), undefined, 'its own stream')
  cache.observe(event('user-u1', 10))
  t.equal(cache.get('p1'), undefined, 'its owner')
  t.equal(cache.get('p3'), undefined, 'every product of that owner')
  t.equal(cache.position, 10)
})

t.test("an event of the product's brand drops it (a verification revoked changes the verdict)", async t => {
  const cache = following()
  cache.set('p1', entry('u1', 'b1'), 5)
  cache.set('p2', entry('u2', 'b2'), 5)
  cache.observe(event('user-b1', 6))
  t.equal(cache.get('p1'), undefined, 'a product of that brand')
  t.ok(cache.get('p2'), "another brand's product")
})

t.test('a scan read before an event came in is not stored', async t => {
  const cache = following()
  const seenAtRead = cache.position!
  cache.observe(event('user-u9', 6))
  cache.set('p1', entry('u1'), seenAtRead)
  t.equal(cache.get('p1'), undefined)
})

t.test('a read asking for a position the cache has not seen gets nothing from it', async t => {
  const cache = following()
  cache.set('p1', entry('u1'), 5)
  t.ok(cache.get('p1', 5))
  t.equal(cache.get('p1', 6), undefined)
})

t.test('holds at most its capacity, dropping the least recently scanned', async t => {
  const cache = following(2)
  cache.set('p1', entry('u1'), 5)
  cache.set('p2', entry('u1'), 5)
  cache.get('p1')
  cache.set('p3', entry('u1'), 5)
  t.ok(cache.get('p1'))
  t.equal(cache.get('p2'), undefined)
  t.ok(cache.get('p3'))
  const off = following(0)
  off.set('p1', entry('u1'), 5)
  t.equal(off.get('p1'), undefined, 'a capacity of 0 keeps nothing')
})

t.test('a product stored again follows its new owner only; one dropped or evicted no longer follows its owner', async t => {
  const cache = following(2)
  cache.set('p1', entry('u1'), 5)
  cache.set('p1', entry('u2'), 5)
  cache.observe(event('user-u1', 6))
  t.ok(cache.get('p1'), "the former owner's event leaves it")
  cache.observe(event('user-u2', 7))
  t.equal(cache.get('p1'), undefined, "the new owner's drops it")
  cache.set('p1', entry('u3'), 7)
  cache.set('p2', entry('u4'), 7)
  cache.set('p3', entry('u4'), 7)
  cache.set('p1', entry('u4'), 7)
  cache.observe(event('user-u3', 8))
  t.ok(cache.get('p1'), 'p1 evicted under u3 and stored again under u4: u3 no longer drops it')
  cache.observe(event('user-u4', 9))
  t.equal(cache.get('p1'), undefined)
  t.equal(cache.get('p3'), undefined)
})
