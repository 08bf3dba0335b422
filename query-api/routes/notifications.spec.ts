import t from 'tap'
import { bearer } from '../../test/harness.ts'
import { scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())

t.test("the caller's notifications, newest first", async t => {
  const response = await s.app.inject({ method: 'GET', url: '/api/notifications', headers: bearer(s.alice.token) })
  t.equal(response.statusCode, 200)
  const { items, nextCursor } = response.json()
  t.same(items.map((item: { type: string }) => item.type), ['listing_sold', 'listing_reserved', 'product_received'])
  t.match(items[0], { productId: s.productId, read: false, createdAt: '2024-05-01T00:05:00.000Z' })
  t.equal(nextCursor, null)
  const bob = (await s.app.inject({ method: 'GET', url: '/api/notifications', headers: bearer(s.bob.token) })).json()
  t.same(bob.items.map((item: { type: string }) => item.type), ['product_received'])
  t.equal((await s.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode, 401)
})
