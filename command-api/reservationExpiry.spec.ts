import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { streams } from '../domain/ids.ts'
import { faultyLog } from '../eventlog/testing/faultyLog.ts'
import { registerUser } from '../test/testing/harness.ts'
import { start, SYSTEM_ACTOR } from './reservationExpiry.ts'
import { call, isProblem, newListing, newProduct, testApp } from './testing/specSupport.ts'

const RESERVATION_MS = 2000

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(25)) {
    const found = await probe()
    if (found !== undefined) return found
  }
  throw new Error('timed out')
}

t.test('the process expires a reservation at its time', async t => {
  const { app, ctx } = await testApp(t, { config: { reservationMinutes: RESERVATION_MS / 60_000 } })
  const [brand, buyer, nextBuyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const reserve = (as: typeof buyer) => call(app, 'POST', '/resale/transactions', { as, payload: { listingId } })

  // Reserved before the process starts: it learns of it by catching up with the log.
  const { transactionId } = (await reserve(buyer)).json()
  const stop = start(ctx)
  t.teardown(stop)
  t.ok(isProblem(await reserve(nextBuyer), 409), 'reserved meanwhile')

  const expired = await until(async () =>
    (await ctx.eventLog.readStream(streams.product(productId))).find(event => event.type === 'ReservationCancelled'),
  )
  t.match(expired, { data: { transactionId, reason: 'expired' }, metadata: { actorId: SYSTEM_ACTOR } })
  t.equal((await reserve(nextBuyer)).statusCode, 201, 'the listing is active again')
  await stop()
})

t.test('the process follows the log again after its subscription fails or ends', async t => {
  const { app, ctx } = await testApp(t, { config: { reservationMinutes: RESERVATION_MS / 60_000 } })
  const [brand, buyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const rawEventLog = faultyLog(ctx.rawEventLog, [{ after: 1, fault: 'throw' }, { after: 1, fault: 'end' }])
  const warnings: object[] = []
  const stop = start({ ...ctx, rawEventLog }, { warn: details => warnings.push(details) }, { first: 1, max: 5 })
  t.teardown(stop)
  await until(async () => (rawEventLog.subscriptions >= 3 ? true : undefined))

  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()
  const expired = await until(async () =>
    (await ctx.eventLog.readStream(streams.product(productId))).find(event => event.type === 'ReservationCancelled'),
  )
  t.match(expired, { data: { transactionId, reason: 'expired' } }, 'a reservation made after the failures still expires')
  t.equal(warnings.length, 2, 'each failure was told')
  await stop()
})

t.test('without the process, an expired reservation still counts as gone', async t => {
  let now = Date.parse('2025-03-01T10:00:00.000Z')
  const { app } = await testApp(t, { clock: () => new Date(now) })
  const [brand, buyer, nextBuyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()

  now += 16 * 60_000
  t.equal((await call(app, 'POST', '/resale/transactions', { as: nextBuyer, payload: { listingId } })).statusCode, 201)
  const late = await call(app, 'POST', `/resale/transactions/${transactionId}/confirm`, { as: buyer, payload: { paymentReference: 'late' } })
  t.ok(isProblem(late, 409), 'the first buyer is too late to pay')
})
