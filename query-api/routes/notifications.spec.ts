import t from 'tap'
import { bearer, registerUser } from '../../test/testing/harness.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())

const inbox = (token: string, query = '') => s.app.inject({ method: 'GET', url: `/api/notifications${query}`, headers: bearer(token) })

/** `count` products given to a new user, a second apart: what they are told, oldest first. */
async function giftsTo(count: number) {
  const user = await registerUser(s.app)
  const productId = s.ctx.newId()
  const times = Array.from({ length: count }, (_, i) => new Date(Date.UTC(2024, 6, 1) + i * 1000).toISOString())
  const position = await appendProductEvents(
    s.ctx,
    productId,
    times.map(at => ({ actorId: s.brand.userId, at, event: { type: 'OwnershipTransferred', data: { productId, fromUserId: s.brand.userId, toUserId: user.userId, via: 'transfer', at } } })),
  )
  await s.ctx.waitForPosition(position, 5000)
  return { user, productId, times }
}

t.test("the caller's notifications, newest first", async t => {
  const response = await inbox(s.alice.token)
  t.equal(response.statusCode, 200)
  const { items, nextCursor } = response.json()
  t.same(items.map((item: { type: string }) => item.type), ['listing_sold', 'listing_reserved', 'product_received'])
  t.strictSame(items[0], { id: items[0].id, type: 'listing_sold', productId: s.productId, createdAt: '2024-05-01T00:05:00.000Z', read: false })
  t.match(items[0].id, new RegExp(`^${s.alice.userId}:`))
  t.equal(nextCursor, null)
  const bob = (await inbox(s.bob.token)).json()
  t.same(bob.items.map((item: { type: string }) => item.type), ['product_received'])
  t.equal((await s.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode, 401)
})

t.test('an empty inbox', async t => {
  const carol = await registerUser(s.app)
  const response = await inbox(carol.token)
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), { items: [], nextCursor: null })
})

t.test('pages with limit and a cursor, across the pages of the inbox, without gaps or repeats', async t => {
  const { user, productId, times } = await giftsTo(60)
  const pages: { items: { id: string; createdAt: string; productId: string }[]; nextCursor: string | null }[] = []
  let cursor: string | null = null
  do {
    const response = await inbox(user.token, `?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    t.equal(response.statusCode, 200)
    pages.push(response.json())
    cursor = pages.at(-1)!.nextCursor
  } while (cursor && pages.length < 5)
  t.strictSame(pages.map(page => page.items.length), [25, 25, 10])
  t.equal(pages.at(-1)!.nextCursor, null)
  const items = pages.flatMap(page => page.items)
  t.strictSame(items.map(item => item.createdAt), [...times].reverse(), 'newest first, each once')
  t.equal(new Set(items.map(item => item.id)).size, 60, 'distinct ids')
  t.ok(items.every(item => item.productId === productId))
  t.strictSame((await inbox(user.token, '?limit=100')).json().items, items, 'the same as one page')
  const { items: [newest] } = (await inbox(user.token, '?limit=1')).json()
  t.strictSame(newest, items[0], 'the default is the newest')
})

t.test('a cursor that is not one of ours is a 400 problem', async t => {
  const { user } = await giftsTo(3)
  const cursor = (text: string) => Buffer.from(text).toString('base64url')
  const { nextCursor } = (await inbox(user.token, '?limit=2')).json()
  t.equal((await inbox(user.token, `?cursor=${nextCursor}`)).statusCode, 200, 'ours is fine')
  for (const bad of ['garbage', cursor('n:3'), cursor('n:-1'), cursor('n:01'), cursor('n:1.5'), `${nextCursor}!`, cursor('p:1')]) {
    const response = await inbox(user.token, `?cursor=${encodeURIComponent(bad)}`)
    t.equal(response.statusCode, 400, bad)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(response.json(), { status: 400, errors: [{ path: '/querystring/cursor' }] })
  }
  const carol = await registerUser(s.app)
  t.equal((await inbox(carol.token, `?cursor=${nextCursor}`)).statusCode, 400, 'an empty inbox has no cursor')
})
