import { Conflict, Forbidden, RuleViolated } from '../../errors.ts'
import type { CancelReservation, ConfirmPurchase, ExpireReservation, ReserveListing } from '../commands.ts'
import type { ListingReserved, OwnershipTransferred, ProductSold, ReservationCancelled } from '../events.ts'
import { evolve, type ProductState, type Transaction } from '../state.ts'
import { requireNotReported } from './alert.ts'
import { requireNoRecentLapse } from './lapsedReservations.ts'
import { isAtOrAfter, requireProduct, requireTime } from './guards.ts'
import { expiry, openListingForChange, requireTransaction } from './resaleGuards.ts'

export const reserveListing = (
  { data, metadata }: ReserveListing,
  state: ProductState,
): (ReservationCancelled | ListingReserved)[] => {
  const { listing, released } = openListingForChange(state, data.listingId, metadata.now, ({ sellerId }) => {
    if (sellerId === metadata.actorId) throw new Forbidden('the seller cannot buy their own listing')
  })
  requireNotReported(state)
  if (state.transactions[data.transactionId]) throw new Conflict('transaction already exists')
  requireTime(data.expiresAt, 'expiresAt')
  if (isAtOrAfter(metadata.now, data.expiresAt)) throw new RuleViolated('a reservation must expire in the future')
  const holdMs = Date.parse(data.expiresAt) - Date.parse(metadata.now)
  requireNoRecentLapse(released.reduce(evolve, state), data.listingId, metadata.actorId, metadata.now, holdMs)
  const { productId, listingId, transactionId, expiresAt } = data
  const reserved: ListingReserved = {
    type: 'ListingReserved',
    data: {
      productId,
      listingId,
      transactionId,
      buyerId: metadata.actorId,
      sellerId: listing.sellerId,
      price: listing.price,
      reservedAt: metadata.now,
      expiresAt,
    },
  }
  return [...released, reserved]
}

const requirePending = (transaction: Transaction, now: string): void => {
  if (transaction.status === 'completed') throw new Conflict('the purchase is already completed')
  if (transaction.status === 'cancelled') throw new Conflict('the reservation was cancelled')
  if (transaction.status === 'expired' || isAtOrAfter(now, transaction.expiresAt)) throw new Conflict('the reservation has expired')
}

/** Sale and change of owner are one decision, so one append with one expected revision. */
export const confirmPurchase = (
  { data, metadata }: ConfirmPurchase,
  state: ProductState,
): [ProductSold, OwnershipTransferred] => {
  requireProduct(state)
  const transaction = requireTransaction(state, data.transactionId)
  if (transaction.buyerId !== metadata.actorId) throw new Forbidden('only the buyer can confirm the purchase')
  requirePending(transaction, metadata.now)
  requireNotReported(state)
  const { productId, paymentReference } = data
  const { listingId, transactionId, sellerId, buyerId, price } = transaction
  const at = metadata.now
  return [
    { type: 'ProductSold', data: { productId, listingId, transactionId, sellerId, buyerId, price, paymentReference, soldAt: at } },
    { type: 'OwnershipTransferred', data: { productId, fromUserId: sellerId, toUserId: buyerId, via: 'resale', at } },
  ]
}

export const cancelReservation = ({ data, metadata }: CancelReservation, state: ProductState): [ReservationCancelled] => {
  requireProduct(state)
  const transaction = requireTransaction(state, data.transactionId)
  if (transaction.buyerId !== metadata.actorId && transaction.sellerId !== metadata.actorId)
    throw new Forbidden('only the buyer or the seller can cancel the reservation')
  // Too late to cancel once expired: the reservation is already gone (the expiry process records it).
  requirePending(transaction, metadata.now)
  const { listingId, transactionId } = transaction
  const cancelled = { reason: 'cancelled', cancelledBy: metadata.actorId, at: metadata.now } as const
  return [{ type: 'ReservationCancelled', data: { productId: data.productId, listingId, transactionId, ...cancelled } }]
}

export const expireReservation = ({ data, metadata }: ExpireReservation, state: ProductState): ReservationCancelled[] => {
  requireProduct(state)
  const transaction = requireTransaction(state, data.transactionId)
  if (transaction.status !== 'pending' || !isAtOrAfter(metadata.now, transaction.expiresAt)) return []
  return [expiry(state, transaction, metadata.now)]
}
