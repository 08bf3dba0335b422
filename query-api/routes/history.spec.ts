import t from 'tap'
import { EVIL, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const history = (query = '') => s.app.inject({ method: 'GET', url: `/api/products/${s.productId}/history${query}` })

/** The product's own events, without its brand's verification. */
const productEvents = (events: any[]): any[] => events.filter(event => event.source !== 'brand')

t.test('the whole passport from the log, in public form', async t => {
  const response = await history()
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.productId, s.productId)
  t.equal(body.revision, 12)
  const [vouched, ...own] = body.events
  t.match(vouched, { type: 'BrandVerified', source: 'brand', data: { userId: s.brand.userId } }, "first, the brand's verification")
  t.same(
    own.map((event: { type: string }) => event.type),
    ['ProductCreated', 'QrCodeIssued', 'ClaimCodeIssued', 'OwnershipTransferred', 'StorySubmitted', 'StorySubmitted', 'ProductListed', 'ListingReserved', 'ProductSold', 'OwnershipTransferred', 'QrCodeRevoked', 'QrCodeIssued', 'ConsentChanged'],
  )
  const positions = body.events.map((event: { position: string }) => Number(event.position))
  t.same(positions, [...positions].sort((a, b) => a - b), 'in log order')
  t.same(own.map((event: { revision: number }) => event.revision), [...Array(13).keys()])
  t.match(own[0], { type: 'ProductCreated', occurredAt: '2024-01-01T00:00:00.000Z', actor: { userId: s.brand.userId, displayName: 'Maison Verte' } })
})

t.test('an owner who chose hidden leaves no identity; secrets never leave', async t => {
  const body = (await history()).body
  t.notOk(body.includes(s.alice.userId), "Alice's id appears nowhere")
  t.notOk(body.includes('claim-hash-secret'), 'no claim-code hash')
  t.notOk(body.includes('payment-secret'), 'no payment reference')
  const events = productEvents(JSON.parse(body).events)
  const resale = events[9]
  t.match(resale.data, { fromUserId: null, toUserId: s.bob.userId, via: 'resale' })
  t.equal(events[3].actor, null, 'Alice claimed it, unnamed')
  t.match(events[3].data, { toUserId: null, via: null, at: null }, 'nor when or how her period began, as in the timeline')
  t.match(events[6].data, { sellerId: null, price: null, listedAt: null }, 'nor what she asked')
  t.match(events[8].data, { sellerId: null, buyerId: s.bob.userId, price: null, soldAt: null }, 'nor what she sold it for')
  t.match(events[0].data, { createdAt: '2024-01-01T00:00:00.000Z' }, "a public owner's details stay")
  t.match(events[0].data, { brandId: s.brand.userId, brandName: 'Maison Verte' })
})

t.test("a published story shows its text; a pending one doesn't", async t => {
  const events = productEvents((await history()).json().events)
  t.match(events[4].data, { storyId: s.stories.published, title: `Rain ${EVIL}`, authorId: null, status: 'published' })
  t.match(events[5].data, { storyId: s.stories.pending, status: 'pending' })
  t.notOk('title' in events[5].data || 'body' in events[5].data, 'no text of a story waiting for moderation')
})

t.test('?at= gives the state as of then, with today’s consent', async t => {
  const response = await history('?at=2024-04-15T00:00:00Z')
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.at, '2024-04-15T00:00:00.000Z')
  t.equal(body.revision, 6)
  t.equal(body.events.length, 7)
  t.match(body.state, {
    productId: s.productId,
    currentOwner: null,
    owners: [{ owner: { userId: s.brand.userId }, visibility: 'public' }, { owner: null, visibility: 'hidden', from: null }],
    activeListing: { listingId: s.listingId, status: 'active', price: { amount: 12_000 } },
    stories: [{ storyId: s.stories.published, title: `Rain ${EVIL}` }],
  })
  t.equal(body.state.qrCode, s.firstCode)

  const before = (await history('?at=2023-12-31T00:00:00Z')).json()
  t.same([before.events, before.state, before.revision], [[], null, -1], 'nothing yet')
})

t.test('a malformed at is a 400; an unknown product a 404', async t => {
  for (const at of ['yesterday', '2024-13-45', '1700000000', '2024-02-30', '2023-02-29T10:00:00Z', '2024-04-15T24:00Z']) {
    const response = await history(`?at=${at}`)
    t.equal(response.statusCode, 400, at)
    t.match(response.json().errors, [{ path: '/querystring/at' }])
  }
  t.equal((await s.app.inject({ method: 'GET', url: '/api/products/unknown/history' })).statusCode, 404)
})
