import { Conflict, NotFound, RuleViolated } from '../../errors.ts'
import type { Money } from '../../money.ts'
import type { ReservationCancelled } from '../events.ts'
import type { Listing, ProductState, Transaction } from '../state.ts'
import { isAtOrAfter, requireProduct } from './guards.ts'

export const requirePositivePrice = (price: Money): void => {
  if (!Number.isInteger(price.amount) || price.amount <= 0)
    throw new RuleViolated('the price must be a positive whole amount in minor units')
}

const requireListing = (state: ProductState, listingId: string): Listing => {
  const listing = state.listings[listingId]
  if (!listing) throw new NotFound('listing not found')
  return listing
}

export const requireTransaction = (state: ProductState, transactionId: string): Transaction => {
  const transaction = state.transactions[transactionId]
  if (!transaction) throw new NotFound('transaction not found')
  return transaction
}

export const expiry = (state: ProductState, { listingId, transactionId }: Transaction, now: string): ReservationCancelled => ({
  type: 'ReservationCancelled',
  data: { productId: state.productId, listingId, transactionId, reason: 'expired', at: now },
})

/** An expired reservation no longer counts: it is released first, in the same decision. */
const releaseIfExpired = (state: ProductState, listing: Listing, now: string): ReservationCancelled[] => {
  const transaction = listing.reservation && state.transactions[listing.reservation.transactionId]
  return transaction && isAtOrAfter(now, transaction.expiresAt) ? [expiry(state, transaction, now)] : []
}

/** `released`: what releaseIfExpired decided for this listing. */
const requireOpenForChange = (listing: Listing, released: readonly ReservationCancelled[]): void => {
  if (listing.status === 'sold') throw new Conflict('the listing is sold')
  if (listing.status === 'withdrawn') throw new Conflict('the listing is withdrawn')
  if (listing.status === 'reserved' && released.length === 0) throw new Conflict('the listing is reserved')
}

export interface ListingOpenForChange {
  listing: Listing
  /** The expiry of a reservation that ran out, to append before the change itself. */
  released: ReservationCancelled[]
}

/**
 * The opening steps of every change to a listing (update, withdrawal, reservation): the product and the listing
 * exist, the actor may act on it (`authorise` throws when not), a reservation that ran out is released, and the
 * listing is still open (not sold, withdrawn or reserved by someone else). Refusals come in that order.
 */
export const openListingForChange = (
  state: ProductState,
  listingId: string,
  now: string,
  authorise: (listing: Listing) => void,
): ListingOpenForChange => {
  requireProduct(state)
  const listing = requireListing(state, listingId)
  authorise(listing)
  const released = releaseIfExpired(state, listing, now)
  requireOpenForChange(listing, released)
  return { listing, released }
}
