/**
 * listings: resale listings through their life. The product's name and brand come from the products
 * projection, which runs before this one and never changes them after creation.
 */
import type { ProductEvent } from '../domain/product/events.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import { collections, type ListingDoc, type ProductDoc } from '../readmodels/documents.ts'
import { defineProjection, type Recorded } from './projection.ts'
import { create, update } from './write.ts'

type ListingEvent = Extract<ProductEvent, { data: { listingId: string } }>

const updateListing = (store: ProjectionStore, event: Recorded<ListingEvent>, change: Partial<ListingDoc>) =>
  update<ListingDoc>(store, collections.listings, event.data.listingId, event, () => change)

export const listingsProjection = defineProjection({
  name: 'listings',
  collections: [
    {
      name: collections.listings,
      indexes: [['status', 'price.amount'], ['status', 'createdAt'], ['status', 'brandName', 'price.amount'], ['sellerId', 'createdAt'], ['productId']],
    },
  ],
  on: {
    ProductListed: async (event, store) => {
      const { listingId, productId, sellerId, price, condition, description, suggestedPrice, listedAt } = event.data
      const product = await store.get<ProductDoc>(collections.products, productId)
      if (!product) throw new Error(`listing ${listingId} of product ${productId}, which the products projection has not seen`)
      await create<ListingDoc>(store, collections.listings, event, {
        id: listingId,
        listingId,
        productId,
        productName: product.name,
        brandName: product.brand.name,
        sellerId,
        price,
        condition,
        description,
        suggestedPrice,
        status: 'active',
        createdAt: listedAt,
        updatedAt: event.metadata.occurredAt,
        transactionId: null,
      })
    },
    ListingUpdated: (event, store) => {
      const { price, condition, description } = event.data
      return updateListing(store, event, { price, condition, description })
    },
    ListingWithdrawn: (event, store) => updateListing(store, event, { status: 'withdrawn' }),
    ListingReserved: (event, store) => updateListing(store, event, { status: 'reserved', transactionId: event.data.transactionId }),
    ReservationCancelled: (event, store) => updateListing(store, event, { status: 'active', transactionId: null }),
    ProductSold: (event, store) => updateListing(store, event, { status: 'sold' }),
  },
})
