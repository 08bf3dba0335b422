import { Conflict, Forbidden } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { ListProduct, UpdateListing, WithdrawListing } from '../commands.ts'
import type { ListingUpdated, ListingWithdrawn, ProductListed, ReservationCancelled } from '../events.ts'
import type { Listing, ProductState } from '../state.ts'
import { requireOwnerMayHandOver } from './alert.ts'
import { openListingForChange, requirePositivePrice } from './resaleGuards.ts'

const sellerOnly = (actorId: string, action: string) => (listing: Listing) => {
  if (listing.sellerId !== actorId) throw new Forbidden(`only the seller can ${action}`)
}

export const listProduct = ({ data, metadata }: ListProduct, state: ProductState): [ProductListed] => {
  requireOwnerMayHandOver(state, metadata.actorId, 'list the product')
  if (state.listings[data.listingId]) throw new Conflict('listing already exists')
  requirePositivePrice(data.price)
  return [{ type: 'ProductListed', data: defined({ ...data, sellerId: metadata.actorId, listedAt: metadata.now }) }]
}

export const updateListing = (
  { data, metadata }: UpdateListing,
  state: ProductState,
): (ReservationCancelled | ListingUpdated)[] => {
  const { listing, released } = openListingForChange(state, data.listingId, metadata.now, sellerOnly(metadata.actorId, 'change the listing'))
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
  const { released } = openListingForChange(state, data.listingId, metadata.now, sellerOnly(metadata.actorId, 'withdraw the listing'))
  const { productId, listingId } = data
  return [...released, { type: 'ListingWithdrawn', data: { productId, listingId, withdrawnAt: metadata.now } }]
}
