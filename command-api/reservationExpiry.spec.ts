import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { streams } from '../domain/ids.ts'
import { faultyLog } from '../eventlog/testing/faultyLog.ts'
import { subscriptionStarts } from '../eventlog/testing/subscriptionStarts.ts'
import { openReservations } from '../projectors/transactions.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { registerUser } from '../test/testing/harness.ts'
import { start, SYSTEM_ACTOR, type ExpiryContext } from './reservationExpiry.ts'
import { call, isProblem, newListing, newProduct, testApp } from './testing/specSupport.ts'

const RESERVATION_MS = 2000

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(25)) {
    const found = await probe()
    if (found !== undefined) return found
  }
  throw new Error('timed out')
}

/** `store`, some of whose methods are replaced. */
/** The process as the app starts it: the open reservations read from `readModels`. */
const expiring = <C extends Omit<ExpiryContext, 'openReservations'> & { readModels: ReadModelStore }>(ctx: C, readModels: ReadModelStore = ctx.readModels): ExpiryContext => ({
  ...ctx,
  openReservations: () => openReservations(readModels),
})

const readModelsWith = (store: ReadModelStore, replaced: Partial<ReadModelStore>): ReadModelStore =>
  new Proxy(store, { get: (target, name) => replaced[name as keyof ReadModelStore] ?? Reflect.get(target, name) })

async function reservedListing(t: Parameters<typeof testApp>[0]) {
  const test = await testApp(t, { config: { reservationMinutes: RESERVATION_MS / 60_000 } })
  const { app } = test
  const [brand, buyer, nextBuyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const reserve = (as: typeof buyer) => call(app, 'POST', '/resale/transactions', { as, payload: { listingId } })
  const { transactionId, position } = (await reserve(buyer)).json()
  const productEvents = () => test.ctx.eventLog.readStream(streams.product(productId))
  const expired = () => until(async () => (await productEvents()).find(event => event.type === 'ReservationCancelled'))
  return { ...test, productId, transactionId, position: Number(position), reserve: () => reserve(nextBuyer), productEvents, expired }
}

t.test('a reservation made before the process starts expires at its time, learned from the read model', async t => {
  const { ctx, transactionId, position, reserve, productEvents, expired } = await reservedListing(t)
  t.ok(await ctx.waitForPosition(position, 5000), 'projected')
  const { log: rawEventLog, starts } = subscriptionStarts(ctx.rawEventLog)
  const stop = start(expiring({ ...ctx, rawEventLog }))
  t.teardown(stop)
  t.ok(isProblem(await reserve(), 409), 'reserved meanwhile')

  const cancelled = await expired()
  const reserved = (await productEvents()).find(event => event.type === 'ListingReserved')!
  t.match(cancelled, { data: { transactionId, reason: 'expired' }, metadata: { actorId: SYSTEM_ACTOR } })
  t.match(cancelled.metadata, { causationId: reserved.metadata.eventId, correlationId: reserved.metadata.correlationId }, 'caused by the reservation')
  t.ok(starts[0]! >= position, `the log is followed from the read model's checkpoint (${starts[0]}), not from its start`)
  t.equal((await reserve()).statusCode, 201, 'the listing is active again')
  await stop()
})

t.test('a reservation the read model has not applied yet is learned from the log after its checkpoint', async t => {
  const { ctx, transactionId, reserve, productEvents, expired } = await reservedListing(t)
  const behind = readModelsWith(ctx.readModels, { getCheckpoint: async () => 0, find: async () => ({ items: [], nextCursor: null }) })
  const stop = start(expiring(ctx, behind))
  t.teardown(stop)

  const cancelled = await expired()
  const reserved = (await productEvents()).find(event => event.type === 'ListingReserved')!
  t.match(cancelled, { data: { transactionId, reason: 'expired' }, metadata: { causationId: reserved.metadata.eventId } })
  t.equal((await reserve()).statusCode, 201, 'the listing is active again')
  await stop()
})

t.test('read models that do not answer at start are asked again', async t => {
  const { ctx, transactionId, expired } = await reservedListing(t)
  let refusals = 1
  const failing = readModelsWith(ctx.readModels, {
    getCheckpoint: async name => {
      if (refusals-- > 0) throw new Error('injected: the read models do not answer')
      return ctx.readModels.getCheckpoint(name)
    },
  })
  const warnings: object[] = []
  const stop = start(expiring(ctx, failing), { warn: details => warnings.push(details) }, { first: 1, max: 5 })
  t.teardown(stop)

  t.match(await expired(), { data: { transactionId, reason: 'expired' } })
  t.equal(warnings.length, 1, 'the failure was told')
  await stop()
})

t.test('two processes on one log expire a reservation once', async t => {
  const { app, ctx } = await testApp(t, { config: { reservationMinutes: RESERVATION_MS / 60_000 } })
  const [brand, buyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const stops = [start(expiring(ctx)), start(expiring(ctx))]
  t.teardown(() => Promise.all(stops.map(stop => stop())))
  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()

  const cancellations = async () =>
    (await ctx.eventLog.readStream(streams.product(productId))).filter(event => event.type === 'ReservationCancelled')
  await until(async () => ((await cancellations()).length > 0 ? true : undefined))
  // Past the retry of whichever process lost the race for the append.
  await sleep(1500)
  const written = await cancellations()
  t.equal(written.length, 1, 'one expiry, whichever process wrote it')
  t.match(written[0], { data: { transactionId, reason: 'expired' } })
  await Promise.all(stops.map(stop => stop()))
})

t.test('the process follows the log again after its subscription fails or ends', async t => {
  const { app, ctx } = await testApp(t, { config: { reservationMinutes: RESERVATION_MS / 60_000 } })
  const [brand, buyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const rawEventLog = faultyLog(ctx.rawEventLog, [{ after: 0, fault: 'throw' }, { after: 0, fault: 'end' }])
  const warnings: object[] = []
  const stop = start(expiring({ ...ctx, rawEventLog }), { warn: details => warnings.push(details) }, { first: 1, max: 5 })
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
