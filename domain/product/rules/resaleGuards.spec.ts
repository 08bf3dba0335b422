import t from 'tap'
import { Conflict, Forbidden, NotFound } from '../../errors.ts'
import { fold } from '../../decider.ts'
import { ALICE, LISTING, NOW, PRODUCT, SOON, TRANSACTION, listedByAlice, ownedByAlice, reservedByBob } from '../testing/fixtures.ts'
import { productDecider, type ProductEvent } from '../index.ts'
import { openListingForChange } from './resaleGuards.ts'

const AFTER_EXPIRY = '2024-06-01T12:20:00.000Z'
const state = (events: ProductEvent[]) => fold(productDecider, events)
const anyone = () => {}
const nobody = () => {
  throw new Forbidden('not you')
}

t.test('openListingForChange: the listing, and the release of a reservation that ran out', async t => {
  const open = openListingForChange(state(listedByAlice), LISTING, NOW, anyone)
  t.same(open, { listing: state(listedByAlice).listings[LISTING], released: [] })
  const lapsed = openListingForChange(state(reservedByBob), LISTING, AFTER_EXPIRY, anyone)
  t.same(lapsed.released, [
    { type: 'ReservationCancelled', data: { productId: PRODUCT, listingId: LISTING, transactionId: TRANSACTION, reason: 'expired', at: AFTER_EXPIRY } },
  ])
  t.equal(openListingForChange(state(reservedByBob), LISTING, SOON, anyone).released.length, 1, 'expired at its expiry time')
})

t.test('openListingForChange refuses in order: no product, no listing, not allowed, not open', async t => {
  t.throws(() => openListingForChange(state([]), LISTING, NOW, nobody), NotFound, 'no product')
  t.throws(() => openListingForChange(state(ownedByAlice), LISTING, NOW, nobody), new NotFound('listing not found'))
  t.throws(() => openListingForChange(state(reservedByBob), LISTING, NOW, nobody), new Forbidden('not you'), 'the actor before the state')
  t.throws(() => openListingForChange(state(reservedByBob), LISTING, NOW, anyone), new Conflict('the listing is reserved'))
  let seen: string | undefined
  openListingForChange(state(listedByAlice), LISTING, NOW, listing => (seen = listing.sellerId))
  t.equal(seen, ALICE, 'authorise sees the listing')
})
