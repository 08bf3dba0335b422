import t from 'tap'
import { fold } from '../../domain/decider.ts'
import { streams } from '../../domain/ids.ts'
import { productDecider, type ProductEvent } from '../../domain/product/index.ts'
import { registerUser, type TestUser } from '../../test/testing/harness.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { call, EUR, isProblem, newListing, newProduct, testApp } from '../testing/specSupport.ts'

const { app, ctx } = await testApp(t)
const [brand, buyer, otherBuyer, stranger] = await Promise.all([
  registerUser(app, { accountType: 'brand' }),
  registerUser(app),
  registerUser(app),
  registerUser(app),
])

const productState = async (productId: string) =>
  fold(productDecider, await readDomainEvents<ProductEvent>(ctx.eventLog, streams.product(productId)))

const reserve = (as: TestUser, listingId: string) => call(app, 'POST', '/resale/transactions', { as, payload: { listingId } })
const changeListing = (as: TestUser, listingId: string, payload: object) => call(app, 'PUT', `/resale/listings/${listingId}`, { as, payload })

async function listedProduct() {
  const { productId } = await newProduct(app, brand)
  return { productId, listingId: await newListing(app, brand, productId, EUR(25_000)) }
}

t.test('POST /resale/listings', async t => {
  const { productId } = await newProduct(app, brand, { originalPrice: EUR(40_000) })
  const list = (as: TestUser, payload: object) => call(app, 'POST', '/resale/listings', { as, payload: { productId, condition: 'like_new', ...payload } })

  t.ok(isProblem(await list(stranger, { price: EUR(100) }), 403), 'not the owner')
  t.ok(isProblem(await list(brand, { price: EUR(0) }), 422), 'a zero price')
  t.ok(isProblem(await list(brand, { price: { amount: 100, currency: 'euro' } }), 400), 'not a currency code')
  const listed = await list(brand, { price: EUR(30_000), description: 'Worn twice' })
  t.equal(listed.statusCode, 201)
  t.match(listed.json(), { listingId: new RegExp(`^${productId}_`), status: 'active', position: /^\d+$/ })
  t.same(listed.json().suggestedPrice, EUR(34_000), 'like new, no previous owners: 85 % of the original price')
  t.equal(listed.headers.etag, '"2"')
  t.ok(isProblem(await list(brand, { price: EUR(30_000) }), 409), 'already listed')
  t.ok(isProblem(await call(app, 'POST', '/resale/listings', { as: brand, payload: { productId: '01NOSUCH', price: EUR(1), condition: 'new' } }), 404))
})

t.test('PUT /resale/listings/{listingId}', async t => {
  const { listingId } = await listedProduct()
  const updated = await changeListing(brand, listingId, { price: EUR(22_000), condition: 'fair' })
  t.equal(updated.statusCode, 200)
  t.match(updated.json(), { listingId, status: 'active', position: /^\d+$/ })
  t.ok(isProblem(await changeListing(stranger, listingId, { price: EUR(1) }), 403), 'not the seller')
  t.ok(isProblem(await changeListing(brand, listingId, { status: 'withdrawn', price: EUR(1) }), 400), 'withdraw with changes')
  t.ok(isProblem(await changeListing(brand, listingId, { status: 'sold' }), 400), 'a status other than withdrawn')
  t.ok(isProblem(await changeListing(brand, 'nonsense', { price: EUR(1) }), 404), 'an id naming no product')

  t.equal((await reserve(buyer, listingId)).statusCode, 201)
  t.ok(isProblem(await changeListing(brand, listingId, { price: EUR(1) }), 409), 'reserved')
})

t.test('withdrawing a listing', async t => {
  const { productId, listingId } = await listedProduct()
  const withdrawn = await changeListing(brand, listingId, { status: 'withdrawn' })
  t.equal(withdrawn.statusCode, 200)
  t.match(withdrawn.json(), { listingId, status: 'withdrawn' })
  t.ok(isProblem(await changeListing(brand, listingId, { status: 'withdrawn' }), 409), 'twice')
  t.ok(isProblem(await reserve(buyer, listingId), 409), 'gone for buyers')
  t.equal((await call(app, 'POST', '/resale/listings', { as: brand, payload: { productId, price: EUR(1), condition: 'new' } })).statusCode, 201, 'listable again')
})

t.test('a purchase: reserve, then confirm', async t => {
  const { productId, listingId } = await listedProduct()
  t.ok(isProblem(await reserve(brand, listingId), 403), 'the seller cannot buy')
  const reserved = await reserve(buyer, listingId)
  t.equal(reserved.statusCode, 201)
  const { transactionId, expiresAt } = reserved.json()
  t.match(reserved.json(), { transactionId: new RegExp(`^${productId}_`), listingId, status: 'pending_payment', price: EUR(25_000) })
  t.equal(Date.parse(expiresAt) - Date.parse((await ctx.eventLog.readStream(streams.product(productId))).at(-1)!.metadata.occurredAt), ctx.config.reservationMinutes * 60_000)
  t.ok(isProblem(await reserve(otherBuyer, listingId), 409), 'already reserved')

  const confirm = (as: TestUser, payload: object = { paymentReference: 'psp-123' }) =>
    call(app, 'POST', `/resale/transactions/${transactionId}/confirm`, { as, payload })
  t.ok(isProblem(await confirm(otherBuyer), 403), 'not the buyer')
  t.ok(isProblem(await confirm(buyer, {}), 400), 'no payment reference')
  for (const paymentReference of ['', 'not a token', '<script>alert(1)</script>', 'é', 'p'.repeat(65), 'psp-1\n'])
    t.ok(isProblem(await confirm(buyer, { paymentReference }), 400), `payment reference ${JSON.stringify(paymentReference.slice(0, 20))}`)
  const confirmed = await confirm(buyer, { paymentReference: 'pi_3Mt:psp-123.A' })
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.json(), { transactionId, status: 'completed', position: /^\d+$/ })
  const state = await productState(productId)
  t.equal(state.ownerId, buyer.userId, 'the buyer owns the product')
  t.equal(state.listings[listingId]?.status, 'sold')
  t.ok(isProblem(await confirm(buyer), 409), 'confirmed twice')
  t.ok(isProblem(await call(app, 'POST', '/resale/transactions/nonsense/confirm', { as: buyer, payload: { paymentReference: 'x' } }), 404))
})

t.test('cancelling a reservation makes the listing active again', async t => {
  const { listingId } = await listedProduct()
  const { transactionId } = (await reserve(buyer, listingId)).json()
  const cancel = (as: TestUser) => call(app, 'POST', `/resale/transactions/${transactionId}/cancel`, { as })
  t.ok(isProblem(await cancel(stranger), 403), 'neither buyer nor seller')
  const cancelled = await cancel(brand)
  t.equal(cancelled.statusCode, 200)
  t.match(cancelled.json(), { transactionId, status: 'cancelled', position: /^\d+$/ })
  t.ok(isProblem(await cancel(buyer), 409), 'cancelled twice')
  t.equal((await reserve(otherBuyer, listingId)).statusCode, 201, 'another buyer can reserve')
})

t.test('of many buyers racing for one listing, exactly one gets it', async t => {
  const { productId, listingId } = await listedProduct()
  const buyers = [buyer, otherBuyer, stranger]
  const racers = Array.from({ length: 21 }, (_, at) => buyers[at % buyers.length]!)
  const responses = await Promise.all(racers.map(racer => reserve(racer, listingId)))

  const winners = responses.flatMap((response, at) => (response.statusCode === 201 ? [racers[at]!] : []))
  t.equal(winners.length, 1, 'one 201')
  t.ok(responses.every(response => response.statusCode === 201 || isProblem(response, 409)), 'the rest 409')
  const state = await productState(productId)
  t.equal(state.listings[listingId]?.status, 'reserved')
  t.equal(state.listings[listingId]?.reservation?.buyerId, winners[0]?.userId, 'reserved for the winner')
  t.equal(Object.keys(state.transactions).length, 1, 'one reservation recorded')
})

t.test('cancelling a reservation that has already expired is a 409, and records nothing', async t => {
  let now = Date.parse('2025-03-01T10:00:00.000Z')
  const { app, ctx } = await testApp(t, { clock: () => new Date(now) })
  const [seller, buyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
  const { productId } = await newProduct(app, seller)
  const listingId = await newListing(app, seller, productId)
  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()
  const cancel = (as: TestUser) => call(app, 'POST', `/resale/transactions/${transactionId}/cancel`, { as })

  now += (ctx.config.reservationMinutes + 1) * 60_000
  const head = await ctx.eventLog.headPosition()
  for (const as of [buyer, seller]) {
    const late = await cancel(as)
    t.ok(isProblem(late, 409), 'a problem, never { status: "expired" }')
    t.equal(late.json().detail, 'the reservation has expired')
  }
  t.equal(await ctx.eventLog.headPosition(), head, 'nothing appended')
  t.equal((await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).statusCode, 201, 'the listing is free again')
})
