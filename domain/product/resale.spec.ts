import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { ListProduct } from './commands.ts'
import type { ListingUpdated, ProductSold, ReservationCancelled } from './events.ts'
import {
  ALICE,
  BOB,
  CAROL,
  LATER,
  LISTING,
  NOW,
  PRODUCT,
  SOON,
  TRANSACTION,
  command,
  eur,
  listed,
  listedByAlice,
  ownedByAlice,
  reserved,
  reservedByBob,
  transferred,
} from './testing/fixtures.ts'
import { productDecider } from './index.ts'

const { given } = spec(productDecider)

const AFTER_EXPIRY = '2024-06-01T12:20:00.000Z'
const TRANSACTION_2 = `${PRODUCT}_t2`

const cancelled = (reason: 'cancelled' | 'expired', at = NOW, cancelledBy?: string, transactionId = TRANSACTION): ReservationCancelled => ({
  type: 'ReservationCancelled',
  data: { productId: PRODUCT, listingId: LISTING, transactionId, reason, ...(cancelledBy ? { cancelledBy } : {}), at },
})
const withdrawn = (at = NOW) => ({ type: 'ListingWithdrawn' as const, data: { productId: PRODUCT, listingId: LISTING, withdrawnAt: at } })
const sold = (at = NOW): ProductSold => ({
  type: 'ProductSold',
  data: { productId: PRODUCT, listingId: LISTING, transactionId: TRANSACTION, sellerId: ALICE, buyerId: BOB, price: eur(12_000), paymentReference: 'pay-1', soldAt: at },
})
const soldToBob = [...reservedByBob, sold(), transferred(ALICE, BOB, NOW, 'resale')]

t.test('ListProduct', async t => {
  const list = (actorId: string, data: Partial<ListProduct['data']> = {}) =>
    command('ListProduct', { listingId: LISTING, price: eur(12_000), condition: 'good', suggestedPrice: eur(11_000), ...data }, actorId)
  const listedNow = { ...listed(), data: { ...listed().data, listedAt: NOW } }

  t.test('the current owner lists the product', async () => {
    given(ownedByAlice).when(list(ALICE)).then([listedNow])
  })
  t.test('keeps a description and a missing suggestion', async () => {
    given(ownedByAlice)
      .when(list(ALICE, { description: 'Worn twice', suggestedPrice: null }))
      .then([{ ...listedNow, data: { ...listedNow.data, description: 'Worn twice', suggestedPrice: null } }])
  })
  t.test('refuses someone who is not the owner', async () => {
    given(ownedByAlice).when(list(BOB)).thenThrows(Forbidden, 'only the current owner can list')
  })
  t.test('refuses a product that is already listed', async () => {
    given(listedByAlice).when(list(ALICE, { listingId: `${PRODUCT}_l2` })).thenThrows(Conflict, 'listed for resale')
  })
  t.test('refuses a product that is reserved', async () => {
    given(reservedByBob).when(list(ALICE, { listingId: `${PRODUCT}_l2` })).thenThrows(Conflict, 'reserved for resale')
  })
  t.test('lists again after a withdrawal, under a new listing id', async () => {
    const second = `${PRODUCT}_l2`
    given([...listedByAlice, withdrawn()]).when(list(ALICE, { listingId: second })).then([{ ...listedNow, data: { ...listedNow.data, listingId: second } }])
    given([...listedByAlice, withdrawn()]).when(list(ALICE)).thenThrows(Conflict, 'listing already exists')
  })
  t.test('the buyer may list the product they bought; the seller may not', async () => {
    const second = `${PRODUCT}_l2`
    given(soldToBob).when(list(BOB, { listingId: second })).then([{ ...listedNow, data: { ...listedNow.data, listingId: second, sellerId: BOB } }])
    given(soldToBob).when(list(ALICE, { listingId: second })).thenThrows(Forbidden)
  })
  t.test('refuses a price that is not a positive whole amount', async () => {
    for (const amount of [0, -100, 12.5]) given(ownedByAlice).when(list(ALICE, { price: eur(amount) })).thenThrows(RuleViolated, 'positive whole amount')
  })
})

t.test('UpdateListing', async t => {
  const update = (actorId: string, data: { price?: ReturnType<typeof eur>; condition?: 'fair'; description?: string } = {}, now = NOW) =>
    command('UpdateListing', { listingId: LISTING, ...data }, actorId, { now })
  const updated = (data: Partial<ListingUpdated['data']> = {}, at = NOW): ListingUpdated => ({
    type: 'ListingUpdated',
    data: { productId: PRODUCT, listingId: LISTING, price: eur(12_000), condition: 'good', updatedAt: at, ...data },
  })

  t.test('the seller changes the price; the event carries all terms', async () => {
    given(listedByAlice).when(update(ALICE, { price: eur(9000) })).then([updated({ price: eur(9000) })])
  })
  t.test('a description, once set, stays unless replaced', async () => {
    const described = [...listedByAlice, updated({ description: 'Worn twice' })]
    given(described).when(update(ALICE, { condition: 'fair' })).then([updated({ condition: 'fair', description: 'Worn twice' })])
  })
  t.test('refuses anyone but the seller', async () => {
    given(listedByAlice).when(update(BOB, { price: eur(1) })).thenThrows(Forbidden, 'only the seller')
  })
  t.test('refuses an unknown listing', async () => {
    given(ownedByAlice).when(update(ALICE)).thenThrows(NotFound, 'listing not found')
  })
  t.test('refuses while reserved', async () => {
    given(reservedByBob).when(update(ALICE, { price: eur(1) })).thenThrows(Conflict, 'the listing is reserved')
  })
  t.test('releases an expired reservation first', async () => {
    given(reservedByBob).when(update(ALICE, { price: eur(9000) }, AFTER_EXPIRY)).then([cancelled('expired', AFTER_EXPIRY), updated({ price: eur(9000) }, AFTER_EXPIRY)])
  })
  t.test('refuses a sold or withdrawn listing', async () => {
    given(soldToBob).when(update(ALICE)).thenThrows(Conflict, 'the listing is sold')
    given([...listedByAlice, withdrawn()]).when(update(ALICE)).thenThrows(Conflict, 'the listing is withdrawn')
  })
  t.test('refuses a price that is not a positive whole amount', async () => {
    given(listedByAlice).when(update(ALICE, { price: eur(0) })).thenThrows(RuleViolated, 'positive whole amount')
  })
})

t.test('WithdrawListing', async t => {
  const withdraw = (actorId: string, now = NOW) => command('WithdrawListing', { listingId: LISTING }, actorId, { now })

  t.test('the seller withdraws the listing', async () => {
    given(listedByAlice).when(withdraw(ALICE)).then([withdrawn()])
  })
  t.test('refuses anyone but the seller', async () => {
    given(listedByAlice).when(withdraw(BOB)).thenThrows(Forbidden, 'only the seller')
  })
  t.test('refuses an unknown listing', async () => {
    given(ownedByAlice).when(withdraw(ALICE)).thenThrows(NotFound, 'listing not found')
  })
  t.test('refuses while reserved, but releases an expired reservation first', async () => {
    given(reservedByBob).when(withdraw(ALICE)).thenThrows(Conflict, 'the listing is reserved')
    given(reservedByBob).when(withdraw(ALICE, AFTER_EXPIRY)).then([cancelled('expired', AFTER_EXPIRY), withdrawn(AFTER_EXPIRY)])
  })
  t.test('refuses a sold or already withdrawn listing', async () => {
    given(soldToBob).when(withdraw(ALICE)).thenThrows(Conflict, 'the listing is sold')
    given([...listedByAlice, withdrawn()]).when(withdraw(ALICE)).thenThrows(Conflict, 'the listing is withdrawn')
  })
})

t.test('ReserveListing', async t => {
  const reserve = (actorId: string, { now = NOW, transactionId = TRANSACTION, expiresAt = SOON } = {}) =>
    command('ReserveListing', { listingId: LISTING, transactionId, expiresAt }, actorId, { now })
  const reservedAt = (buyerId: string, now: string, transactionId: string, expiresAt: string) => {
    const event = reserved(buyerId, expiresAt, transactionId)
    return { ...event, data: { ...event.data, reservedAt: now } }
  }

  t.test('a buyer reserves the listing at its price', async () => {
    given(listedByAlice).when(reserve(BOB)).then([reservedAt(BOB, NOW, TRANSACTION, SOON)])
  })
  t.test('refuses the seller', async () => {
    given(listedByAlice).when(reserve(ALICE)).thenThrows(Forbidden, 'the seller cannot buy')
  })
  t.test('refuses a listing that is reserved: one buyer wins', async () => {
    given(reservedByBob).when(reserve(CAROL, { transactionId: TRANSACTION_2 })).thenThrows(Conflict, 'the listing is reserved')
  })
  t.test('an expired reservation no longer counts', async () => {
    given(reservedByBob)
      .when(reserve(CAROL, { now: AFTER_EXPIRY, transactionId: TRANSACTION_2, expiresAt: LATER }))
      .then([cancelled('expired', AFTER_EXPIRY), reservedAt(CAROL, AFTER_EXPIRY, TRANSACTION_2, LATER)])
  })
  t.test('a cancelled reservation frees the listing', async () => {
    given([...reservedByBob, cancelled('cancelled', NOW, BOB)])
      .when(reserve(CAROL, { transactionId: TRANSACTION_2 }))
      .then([reservedAt(CAROL, NOW, TRANSACTION_2, SOON)])
  })
  t.test('refuses a sold or withdrawn listing', async () => {
    given(soldToBob).when(reserve(CAROL, { transactionId: TRANSACTION_2 })).thenThrows(Conflict, 'the listing is sold')
    given([...listedByAlice, withdrawn()]).when(reserve(BOB)).thenThrows(Conflict, 'the listing is withdrawn')
  })
  t.test('refuses an unknown listing', async () => {
    given(ownedByAlice).when(reserve(BOB)).thenThrows(NotFound, 'listing not found')
  })
  t.test('refuses a transaction id that is taken', async () => {
    given([...reservedByBob, cancelled('cancelled', NOW, BOB)]).when(reserve(CAROL)).thenThrows(Conflict, 'transaction already exists')
  })
  t.test('refuses a reservation that expires at once, or at an unreadable time', async () => {
    given(listedByAlice).when(reserve(BOB, { expiresAt: NOW })).thenThrows(RuleViolated, 'expire in the future')
    given(listedByAlice).when(reserve(BOB, { expiresAt: 'soon' })).thenThrows(RuleViolated, 'expiresAt is not a valid time')
  })
})

t.test('ConfirmPurchase', async t => {
  const confirm = (actorId: string, now = NOW) => command('ConfirmPurchase', { transactionId: TRANSACTION, paymentReference: 'pay-1' }, actorId, { now })

  t.test('the buyer confirms: sold and transferred in one decision', async () => {
    given(reservedByBob).when(confirm(BOB)).then([sold(), transferred(ALICE, BOB, NOW, 'resale')])
  })
  t.test('refuses anyone but the buyer, the seller included', async () => {
    given(reservedByBob).when(confirm(CAROL)).thenThrows(Forbidden, 'only the buyer')
    given(reservedByBob).when(confirm(ALICE)).thenThrows(Forbidden, 'only the buyer')
  })
  t.test('refuses once the reservation has expired, marked or not', async () => {
    given(reservedByBob).when(confirm(BOB, SOON)).thenThrows(Conflict, 'the reservation has expired')
    given([...reservedByBob, cancelled('expired', SOON)]).when(confirm(BOB)).thenThrows(Conflict, 'the reservation has expired')
  })
  t.test('refuses a cancelled reservation', async () => {
    given([...reservedByBob, cancelled('cancelled', NOW, ALICE)]).when(confirm(BOB)).thenThrows(Conflict, 'the reservation was cancelled')
  })
  t.test('refuses a purchase that is already completed', async () => {
    given(soldToBob).when(confirm(BOB)).thenThrows(Conflict, 'already completed')
  })
  t.test('refuses an unknown transaction', async () => {
    given(listedByAlice).when(confirm(BOB)).thenThrows(NotFound, 'transaction not found')
  })
  t.test('after the sale the seller is no longer the owner', async () => {
    given(soldToBob).when(command('TransferOwnership', { toUserId: CAROL }, ALICE)).thenThrows(Forbidden, 'only the current owner')
    given(soldToBob).when(command('TransferOwnership', { toUserId: CAROL }, BOB)).then([transferred(BOB, CAROL, NOW)])
  })
})

t.test('CancelReservation', async t => {
  const cancel = (actorId: string, now = NOW) => command('CancelReservation', { transactionId: TRANSACTION }, actorId, { now })

  t.test('the buyer or the seller cancels', async () => {
    given(reservedByBob).when(cancel(BOB)).then([cancelled('cancelled', NOW, BOB)])
    given(reservedByBob).when(cancel(ALICE)).then([cancelled('cancelled', NOW, ALICE)])
  })
  t.test('refuses anyone else', async () => {
    given(reservedByBob).when(cancel(CAROL)).thenThrows(Forbidden, 'only the buyer or the seller')
  })
  t.test('refuses once the reservation has expired, marked or not: there is nothing left to cancel', async () => {
    given(reservedByBob).when(cancel(BOB, AFTER_EXPIRY)).thenThrows(Conflict, 'the reservation has expired')
    given(reservedByBob).when(cancel(ALICE, SOON)).thenThrows(Conflict, 'the reservation has expired')
    given([...reservedByBob, cancelled('expired', SOON)]).when(cancel(BOB)).thenThrows(Conflict, 'the reservation has expired')
  })
  t.test('refuses a reservation that is no longer pending', async () => {
    given([...reservedByBob, cancelled('cancelled', NOW, BOB)]).when(cancel(ALICE)).thenThrows(Conflict, 'the reservation was cancelled')
    given(soldToBob).when(cancel(BOB)).thenThrows(Conflict, 'the purchase is already completed')
  })
  t.test('refuses an unknown transaction', async () => {
    given(listedByAlice).when(cancel(BOB)).thenThrows(NotFound, 'transaction not found')
  })
})

t.test('ExpireReservation', async t => {
  const expire = (now: string) => command('ExpireReservation', { transactionId: TRANSACTION }, 'system', { roles: [], now })

  t.test('expires a pending reservation at its expiry time', async () => {
    given(reservedByBob).when(expire(SOON)).then([cancelled('expired', SOON)])
  })
  t.test('does nothing before the expiry time', async () => {
    given(reservedByBob).when(expire(NOW)).thenNothingHappened()
  })
  t.test('does nothing once the reservation is settled', async () => {
    given([...reservedByBob, cancelled('cancelled', NOW, BOB)]).when(expire(AFTER_EXPIRY)).thenNothingHappened()
    given([...reservedByBob, cancelled('expired', SOON)]).when(expire(AFTER_EXPIRY)).thenNothingHappened()
    given(soldToBob).when(expire(AFTER_EXPIRY)).thenNothingHappened()
  })
  t.test('refuses an unknown transaction', async () => {
    given(listedByAlice).when(expire(AFTER_EXPIRY)).thenThrows(NotFound, 'transaction not found')
  })
})
