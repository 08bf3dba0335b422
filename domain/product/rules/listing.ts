import { Conflict, Forbidden } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { ListProduct, UpdateListing, WithdrawListing } from '../commands.ts'
import type { ListingUpdated, ListingWithdrawn, ProductListed, ReservationCancelled } from '../events.ts'
import type { ProductState } from '../state.ts'
import { requireNotListed, requireOwner, requireProduct } from './guards.ts'
import { releaseIfExpired, requireListing, requireOpenForChange, requirePositivePrice } from './resaleGuards.ts'

export const listProduct = ({ data, metadata }: ListProduct, state: ProductState): [ProductListed] => {
  requireProduct(state)
  requireOwner(state, metadata.actorId, 'list the product')
  requireNotListed(state)
  if (state.listings[data.listingId]) throw new Conflict('listing already exists')
  requirePositivePrice(data.price)
  return [{ type: 'ProductListed', data: defined({ ...data, sellerId: metadata.actorId, listedAt: metadata.now }) }]
}

export const updateListing = (
  { data, metadata }: UpdateListing,
  state: ProductState,
): (ReservationCancelled | ListingUpdated)[] => {
  requireProduct(state)
  const listing = requireListing(state, data.listingId)
  if (listing.sellerId !== metadata.actorId) throw new Forbidden('only the seller can change the listing')
  const released = releaseIfExpired(state, listing, metadata.now)
  requireOpenForChange(listing, released)
  if (data.price) requirePositivePrice(data.price)
  const updated: ListingUpdated = {
    type: 'ListingUpdated',
    data: defined({
      productId: data.productId,
      listingId: data.listingId,
      price: data.price ?? listing.price,
      condition: data.condition ?? listing.condition,
      description: data.description ?? listing.description,
      updatedAt: metadata.now,
    }),
  }
  return [...released, updated]
}

export const withdrawListing = (
  { data, metadata }: WithdrawListing,
  state: ProductState,
): (ReservationCancelled | ListingWithdrawn)[] => {
  requireProduct(state)
  const listing = requireListing(state, data.listingId)
  if (listing.sellerId !== metadata.actorId) throw new Forbidden('only the seller can withdraw the listing')
  const released = releaseIfExpired(state, listing, metadata.now)
  requireOpenForChange(listing, released)
  const { productId, listingId } = data
  return [...released, { type: 'ListingWithdrawn', data: { productId, listingId, withdrawnAt: metadata.now } }]
}
