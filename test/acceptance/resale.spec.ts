/**
 * An afternoon at the resale market, over real HTTP against `npm start`: Alice sells the coat a brand
 * handed her, the brand lists a scarf and boots, buyers browse with filters, sorting and pages, Bob
 * reserves the coat and lets it go, Carol buys it, and everyone's inbox tells them so.
 */
import t, { type Test } from 'tap'
import type { Person } from './testing/client.ts'
import { logInAsAdmin, signUp } from './testing/people.ts'
import { closeWalk, EUR, openWalk } from './testing/walk.ts'

const walk = await openWalk(t)
const { api } = walk

const BRAND_NAME = 'Nordkyst'

let brand: Person, alice: Person, bob: Person, carol: Person, admin: Person
let coat: { productId: string; qrCode: string }, scarf: { productId: string }, boots: { productId: string }
let coatListing: string, scarfListing: string, bootsListing: string

const listing = (t: Test, listingId: string) => api.call(t, `GET /api/resale/listings/${listingId}`)
/** The listing ids of one page of the market, for a query string. */
const market = async (t: Test, query: string) => {
  const page = await api.call(t, `GET /api/resale/listings?brand=${BRAND_NAME}&${query}`)
  return { ids: page.items.map((item: any) => item.listingId) as string[], nextCursor: page.nextCursor as string | null }
}
const inboxTypes = async (t: Test, as: Person) => (await api.call(t, 'GET /api/notifications', { as })).items.map((item: any) => item.type)

t.test('the brand makes a coat for Alice, a scarf and boots', async t => {
  brand = await signUp(t, api, { displayName: 'Sigrid', brandName: BRAND_NAME })
  alice = await signUp(t, api, { displayName: 'Alice' })
  bob = await signUp(t, api, { displayName: 'Bob' })
  carol = await signUp(t, api, { displayName: 'Carol' })
  admin = await logInAsAdmin(t, api)
  const make = (name: string, price: number) => api.call(t, 'POST /api/products', { as: brand, body: { name, originalPrice: EUR(price) } }, 201)
  coat = await make('Wool coat', 30_000)
  scarf = await make('Lambswool scarf', 8_000)
  boots = await make('Leather boots', 25_000)
  await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: coat.productId, toUserId: alice.userId } })
})

t.test('Alice asks what her coat is worth', async t => {
  const suggestion = await api.call(t, `GET /api/resale/price-suggestion?productId=${coat.productId}&condition=good`)
  const money = { amount: Number, currency: 'EUR' }
  t.match(suggestion, { suggested: money, low: money, high: money, factors: [{ name: String, effect: Number }] })
  const { low, suggested, high } = suggestion
  t.ok(Number.isInteger(suggested.amount) && low.amount <= suggested.amount && suggested.amount <= high.amount, 'low ≤ suggested ≤ high, in cents')
  t.ok(suggested.amount <= 30_000, 'worn is worth less than new')
  await api.refused(t, 'GET /api/resale/price-suggestion?productId=no-such-product&condition=good', {}, 404)
  await api.refused(t, `GET /api/resale/price-suggestion?productId=${coat.productId}&condition=shredded`, {}, 400)
})

t.test('Alice lists her coat; a second listing, a stranger and a transfer are refused', async t => {
  const terms = { productId: coat.productId, price: EUR(18_000), condition: 'good', description: 'Worn two winters' }
  await api.refused(t, 'POST /api/resale/listings', { as: bob, body: terms }, 403)
  await api.refused(t, 'POST /api/resale/listings', { as: alice, body: { ...terms, price: { amount: 180.5, currency: 'EUR' } } }, 400)
  const listed = await api.call(t, 'POST /api/resale/listings', { as: alice, body: terms }, 201)
  t.match(listed, { listingId: String, status: 'active', suggestedPrice: { amount: Number, currency: 'EUR' }, position: /^\d+$/ })
  coatListing = listed.listingId

  await api.refused(t, 'POST /api/resale/listings', { as: alice, body: terms }, 409)
  await api.refused(t, 'POST /api/ownership/transfer', { as: alice, body: { productId: coat.productId, toUserId: bob.userId } }, 409)

  t.match(await listing(t, coatListing), { listingId: coatListing, productId: coat.productId, price: EUR(18_000), condition: 'good', status: 'active' })
  t.match((await api.call(t, `GET /api/products/${coat.productId}/details`)).activeListing, { listingId: coatListing, price: EUR(18_000), status: 'active' })
  const page = await api.send(`GET /p/${coat.qrCode}`)
  t.match(page.text, /For sale/i, 'the public page shows the listing')
  t.match(page.text, /180/, 'with its price')
  await api.refused(t, `PUT /api/resale/listings/${coatListing}`, { as: bob, body: { price: EUR(1) } }, 403)
  await api.call(t, `PUT /api/resale/listings/${coatListing}`, { as: alice, body: { price: EUR(17_500) } })
  t.match(await listing(t, coatListing), { price: EUR(17_500) }, 'the new price')
  await api.refused(t, 'GET /api/resale/listings/no-such-listing', {}, 404)
})

t.test('buyers browse the market: filters, sorting and pages', async t => {
  scarfListing = (await api.call(t, 'POST /api/resale/listings', { as: brand, body: { productId: scarf.productId, price: EUR(6_000), condition: 'like_new' } }, 201)).listingId
  bootsListing = (await api.call(t, 'POST /api/resale/listings', { as: brand, body: { productId: boots.productId, price: EUR(22_000), condition: 'new' } }, 201)).listingId

  t.same((await market(t, 'sort=price')).ids, [scarfListing, coatListing, bootsListing], 'cheapest first')
  t.same((await market(t, 'sort=-price')).ids, [bootsListing, coatListing, scarfListing], 'dearest first')
  t.same((await market(t, '')).ids, [bootsListing, scarfListing, coatListing], 'newest first by default')
  t.same((await market(t, 'condition=new')).ids, [bootsListing])
  t.same((await market(t, 'minPrice=10000&maxPrice=20000')).ids, [coatListing])
  t.same((await api.call(t, 'GET /api/resale/listings?brand=Nobody')).items, [], 'another brand has nothing here')

  const first = await market(t, 'sort=price&limit=2')
  t.same(first.ids, [scarfListing, coatListing])
  t.type(first.nextCursor, 'string', 'a cursor to the next page')
  const second = await market(t, `sort=price&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
  t.same(second, { ids: [bootsListing], nextCursor: null }, 'the rest, and no further page')

  for (const query of ['limit=0', 'limit=101', 'cursor=not-a-cursor', 'sort=cheapest', 'minPrice=cheap']) {
    await api.refused(t, `GET /api/resale/listings?${query}`, {}, 400)
  }
})

t.test('another brand prices a belt and a cap like the scarf and the coat: pages keep ties in place', async t => {
  const rival = await signUp(t, api, { displayName: 'Rolf', brandName: 'Tied Goods' })
  for (const [name, price] of [['Leather belt', 6_000], ['Wool cap', 17_500]] as const) {
    const { productId } = await api.call(t, 'POST /api/products', { as: rival, body: { name } }, 201)
    await api.call(t, 'POST /api/resale/listings', { as: rival, body: { productId, price: EUR(price), condition: 'good' } }, 201)
  }
  for (const sort of ['price', '-price', '-createdAt']) {
    const whole = (await api.call(t, `GET /api/resale/listings?sort=${sort}`)).items.map((item: any) => item.listingId)
    t.equal(whole.length, 5)
    const paged: string[] = []
    let cursor: string | null = null
    do {
      const page: any = await api.call(t, `GET /api/resale/listings?sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      paged.push(...page.items.map((item: any) => item.listingId))
      cursor = page.nextCursor
    } while (cursor && paged.length < 10)
    t.same(paged, whole, `sort=${sort}: one by one, every listing once, in the same order`)
  }
})

t.test('Bob reserves the coat; Carol is too late; Bob lets it go', async t => {
  await api.refused(t, 'POST /api/resale/transactions', { as: alice, body: { listingId: coatListing } }, [403, 409, 422])
  const reservation = await api.call(t, 'POST /api/resale/transactions', { as: bob, body: { listingId: coatListing } }, 201)
  t.match(reservation, { transactionId: String, status: 'pending_payment', expiresAt: String, price: EUR(17_500) })
  t.ok(Date.parse(reservation.expiresAt) > Date.now(), 'the reservation expires later')

  await api.refused(t, 'POST /api/resale/transactions', { as: carol, body: { listingId: coatListing } }, 409)
  await api.refused(t, `PUT /api/resale/listings/${coatListing}`, { as: alice, body: { price: EUR(20_000) } }, 409)
  await api.refused(t, 'POST /api/ownership/transfer', { as: alice, body: { productId: coat.productId } }, 409)
  t.match(await listing(t, coatListing), { status: 'reserved' })
  t.notOk((await market(t, '')).ids.includes(coatListing), 'a reserved listing leaves the market')

  const transaction = `/api/resale/transactions/${reservation.transactionId}`
  t.match(await api.call(t, `GET ${transaction}`, { as: bob }), { transactionId: reservation.transactionId, status: 'pending_payment', buyerId: bob.userId })
  t.match(await api.call(t, `GET ${transaction}`, { as: admin }), { status: 'pending_payment' })
  await api.refused(t, `GET ${transaction}`, { as: carol }, 403)
  await api.refused(t, `POST ${transaction}/confirm`, { as: carol, body: { paymentReference: 'not-hers' } }, 403)
  await api.refused(t, `POST ${transaction}/cancel`, { as: carol }, 403)

  t.match(await api.call(t, `POST ${transaction}/cancel`, { as: bob }), { status: 'cancelled' })
  t.match(await listing(t, coatListing), { status: 'active' }, 'the listing is active again')
  t.ok((await market(t, '')).ids.includes(coatListing), 'and back on the market')
  await api.refused(t, `POST ${transaction}/confirm`, { as: bob, body: { paymentReference: 'too-late' } }, 409)
})

t.test('Carol buys the coat: sold and hers, at once', async t => {
  const reservation = await api.call(t, 'POST /api/resale/transactions', { as: carol, body: { listingId: coatListing } }, 201)
  const transaction = `/api/resale/transactions/${reservation.transactionId}`
  await api.refused(t, `POST ${transaction}/confirm`, { as: carol, body: {} }, 400)
  t.match(await api.call(t, `POST ${transaction}/confirm`, { as: carol, body: { paymentReference: 'psp-4242' } }), {
    status: 'completed',
    position: /^\d+$/,
  })

  t.match(await listing(t, coatListing), { status: 'sold' })
  t.notOk((await market(t, '')).ids.includes(coatListing), 'a sold listing leaves the market')
  t.match((await api.call(t, `GET /api/products/${coat.qrCode}`)).currentOwner, { userId: carol.userId, displayName: 'Carol' })
  const owners = (await api.call(t, `GET /api/ownership/${coat.productId}/history`)).owners
  t.match(owners.at(-1), { owner: { userId: carol.userId }, via: 'resale', to: null })
  t.match(await api.call(t, `GET ${transaction}`, { as: alice }), { status: 'completed', sellerId: alice.userId, buyerId: carol.userId })
  t.notMatch(JSON.stringify(await api.call(t, `GET /api/products/${coat.productId}/history`)), 'psp-4242', 'the payment reference stays private')

  await api.refused(t, `POST ${transaction}/confirm`, { as: carol, body: { paymentReference: 'again' } }, 409)
  await api.refused(t, `POST ${transaction}/cancel`, { as: alice }, 409)
  await api.refused(t, 'POST /api/resale/transactions', { as: bob, body: { listingId: coatListing } }, 409)
  await api.refused(t, `PUT /api/resale/listings/${coatListing}`, { as: alice, body: { price: EUR(1) } }, 409)

  const sellerHeard = await inboxTypes(t, alice)
  t.ok(sellerHeard.includes('listing_reserved') && sellerHeard.includes('listing_sold'), 'Alice heard of the reservation and the sale', { sellerHeard })
  t.ok((await inboxTypes(t, carol)).includes('product_received'), 'Carol heard she owns it')

  await api.refused(t, `POST /api/products/${coat.productId}/qr`, { as: alice }, 403)
  const relabelled = await api.call(t, `POST /api/products/${coat.productId}/qr`, { as: carol }, 201)
  t.equal((await api.call(t, `GET /api/products/${relabelled.qrCode}`)).authenticity.status, 'authentic', 'the new owner may reprint the label')
})

t.test('the brand withdraws the scarf', async t => {
  await api.refused(t, `PUT /api/resale/listings/${scarfListing}`, { as: brand, body: { status: 'withdrawn', price: EUR(1) } }, 400)
  t.match(await api.call(t, `PUT /api/resale/listings/${scarfListing}`, { as: brand, body: { status: 'withdrawn' } }), { status: 'withdrawn' })
  t.match(await listing(t, scarfListing), { status: 'withdrawn' })
  t.same((await market(t, 'sort=price')).ids, [bootsListing], 'only the boots are left')
  await api.refused(t, 'POST /api/resale/transactions', { as: bob, body: { listingId: scarfListing } }, 409)
  await api.refused(t, 'POST /api/resale/transactions', { as: bob, body: { listingId: 'no-such-listing' } }, 404)
})

t.test('five buyers race for the boots: exactly one gets them, the others a 409', async t => {
  const buyers = [bob, alice, carol, await signUp(t, api, { displayName: 'Dan' }), await signUp(t, api, { displayName: 'Eve' })]
  const replies = await Promise.all(buyers.map(as => api.send('POST /api/resale/transactions', { as, body: { listingId: bootsListing } })))
  t.same(replies.map(reply => reply.status).sort(), [201, 409, 409, 409, 409], 'one reservation', { bodies: replies.map(reply => reply.text) })
  const winner = buyers[replies.findIndex(reply => reply.status === 201)]!
  const held = replies.find(reply => reply.status === 201)?.json.transactionId
  const { buyerId } = await api.call(t, `GET /api/resale/transactions/${held}`, { as: brand })
  t.equal(buyerId, winner.userId, 'held for the winner')
  t.match(await api.call(t, `POST /api/resale/transactions/${held}/cancel`, { as: brand }), { status: 'cancelled' }, 'the seller may call it off')
  t.match(await listing(t, bootsListing), { status: 'active' })
})

closeWalk(t, walk)
