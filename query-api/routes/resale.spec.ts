import t from 'tap'
import { adminToken, bearer, registerUser } from '../../test/testing/harness.ts'
import { appendProductEvents, eur, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const get = (url: string, headers = {}) => s.app.inject({ method: 'GET', url, headers })

// Bob lists it again; a second product of the brand is listed cheaper, in another condition.
const relisted = `${s.productId}_l2`
const other = s.ctx.newId()
const otherListing = `${other}_l1`
const now = '2024-07-01T00:00:00.000Z'
await appendProductEvents(s.ctx, s.productId, [
  {
    actorId: s.bob.userId,
    at: now,
    event: { type: 'ProductListed', data: { productId: s.productId, listingId: relisted, sellerId: s.bob.userId, price: eur(15_000), condition: 'like_new', suggestedPrice: null, listedAt: now } },
  },
])
const position = await appendProductEvents(s.ctx, other, [
  {
    actorId: s.brand.userId,
    at: now,
    event: { type: 'ProductCreated', data: { productId: other, brandId: s.brand.userId, brandName: 'Maison Verte', name: 'Scarf', serialNumber: 'SC-1', createdAt: now } },
  },
  {
    actorId: s.brand.userId,
    at: now,
    event: { type: 'ProductListed', data: { productId: other, listingId: otherListing, sellerId: s.brand.userId, price: eur(5_000), condition: 'new', suggestedPrice: null, listedAt: '2024-07-02T00:00:00.000Z' } },
  },
])
await s.ctx.waitForPosition(position, 5000)
const ids = (response: { json(): { items: { listingId: string }[] } }) => response.json().items.map(item => item.listingId)

t.test('a price suggestion from the product’s stream', async t => {
  const response = await get(`/api/resale/price-suggestion?productId=${s.productId}&condition=good`)
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body, { suggested: { currency: 'EUR' }, low: { currency: 'EUR' }, high: { currency: 'EUR' } })
  t.ok(body.low.amount <= body.suggested.amount && body.suggested.amount <= body.high.amount)
  t.same(body.factors.map((factor: { name: string }) => factor.name), ['age', 'condition', 'previous_owners'])
  t.equal((await get(`/api/resale/price-suggestion?productId=${other}&condition=good`)).statusCode, 422, 'no original price')
  t.equal((await get('/api/resale/price-suggestion?productId=nope&condition=good')).statusCode, 404)
  t.equal((await get(`/api/resale/price-suggestion?productId=${s.productId}&condition=worn`)).statusCode, 400)
})

t.test('a suggestion for the dearest product stays within what Money admits', async t => {
  const dearest = s.ctx.newId()
  const at = s.ctx.clock().toISOString() // new: no loss for age
  const created = await appendProductEvents(s.ctx, dearest, [
    {
      actorId: s.brand.userId,
      at,
      event: { type: 'ProductCreated', data: { productId: dearest, brandId: s.brand.userId, brandName: 'Maison Verte', name: 'Coat', serialNumber: 'CO-1', originalPrice: eur(1_000_000_000_000), createdAt: at } },
    },
  ])
  await s.ctx.waitForPosition(created, 5000)
  const response = await get(`/api/resale/price-suggestion?productId=${dearest}&condition=new`)
  t.equal(response.statusCode, 200, response.body)
  const { low, suggested, high } = response.json()
  t.ok(high.amount <= 1_000_000_000_000, `high ${high.amount}`)
  t.ok(low.amount <= suggested.amount && suggested.amount <= high.amount)
})

t.test('active listings only, filtered and sorted', async t => {
  t.same(ids(await get('/api/resale/listings')), [otherListing, relisted], 'newest first; the sold one is gone')
  t.same(ids(await get('/api/resale/listings?sort=price')), [otherListing, relisted])
  t.same(ids(await get('/api/resale/listings?sort=-price')), [relisted, otherListing])
  t.same(ids(await get('/api/resale/listings?condition=like_new')), [relisted])
  t.same(ids(await get('/api/resale/listings?minPrice=6000')), [relisted])
  t.same(ids(await get('/api/resale/listings?maxPrice=6000&brand=Maison%20Verte')), [otherListing])
  t.same(ids(await get('/api/resale/listings?brand=Nobody')), [])
  const first = (await get('/api/resale/listings?limit=1')).json()
  t.equal(first.items.length, 1)
  t.same(ids(await get(`/api/resale/listings?limit=1&cursor=${first.nextCursor}`)), [relisted])
  t.equal((await get('/api/resale/listings?sort=name')).statusCode, 400)
})

t.test('one listing, whatever its status', async t => {
  const sold = await get(`/api/resale/listings/${s.listingId}`)
  t.equal(sold.statusCode, 200)
  t.match(sold.json(), { listingId: s.listingId, status: 'sold', price: { amount: 12_000 }, productName: 'Camp shirt' })
  t.notOk('sellerId' in sold.json())
  t.notOk(['id', 'position', 'transactionId'].some(field => field in sold.json()), 'nor how the read model keeps it')
  t.equal((await get(`/api/resale/listings/${s.productId}_nope`)).statusCode, 404)
})

t.test('a transaction for its buyer, its seller and admins', async t => {
  const url = `/api/resale/transactions/${s.transactionId}`
  for (const token of [s.bob.token, s.alice.token, await adminToken(s.app)]) {
    const response = await get(url, bearer(token))
    t.equal(response.statusCode, 200)
    t.match(response.json(), { transactionId: s.transactionId, status: 'completed', buyerId: s.bob.userId, sellerId: s.alice.userId })
  }
  t.equal((await get(url, bearer((await registerUser(s.app)).token))).statusCode, 403)
  t.equal((await get(url)).statusCode, 401)
  t.equal((await get(`/api/resale/transactions/${s.productId}_nope`, bearer(s.bob.token))).statusCode, 404)
})
