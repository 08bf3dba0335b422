/**
 * products: the passport's read model, one document per product. It follows every product event, even those
 * that change nothing shown, so that `revision` is always the stream's (the ETag of product writes).
 */
import type {
  ListingWithdrawn,
  OwnershipTransferred,
  ProductEvent,
  ProductSold,
  StoryEdited,
  StoryModerated,
  StorySubmitted,
} from '../domain/product/events.ts'
import { DEFAULT_VISIBILITY } from '../domain/product/consent.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import { collections, type ActiveListingSummary, type ProductDoc } from './documents.ts'
import { defineProjection, type Recorded } from './projection.ts'
import { create, update } from './write.ts'

const updateProduct = (store: ProjectionStore, event: Recorded<ProductEvent>, change: (doc: ProductDoc) => Partial<ProductDoc> = () => ({})) =>
  update<ProductDoc>(store, collections.products, event.data.productId, event, doc => ({ ...change(doc), revision: event.revision }))

function transfer(doc: ProductDoc, { toUserId, via, at }: OwnershipTransferred['data']): Partial<ProductDoc> {
  // Consent covers all of an owner's periods, so an owner coming back keeps the visibility they chose.
  const visibility = doc.owners.find(period => period.userId === toUserId)?.visibility ?? DEFAULT_VISIBILITY
  const owners = [...doc.owners.map(period => (period.to === null ? { ...period, to: at } : period)), { userId: toUserId, from: at, to: null, via, visibility }]
  return { ownerId: toUserId, owners, ownerCount: new Set(owners.map(period => period.userId)).size }
}

function storyPublished(doc: ProductDoc, storyId: string, published: boolean): Partial<ProductDoc> {
  const publishedStoryIds = doc.publishedStoryIds.filter(id => id !== storyId).concat(published ? [storyId] : [])
  return { publishedStoryIds, storiesCount: publishedStoryIds.length }
}

/** Changes the summary of the open listing, if the event is about it. */
const listing = (doc: ProductDoc, listingId: string, change: Partial<ActiveListingSummary> | null): Partial<ProductDoc> =>
  doc.activeListing?.listingId !== listingId ? {} : { activeListing: change && { ...doc.activeListing, ...change } }

const touch = (event: Recorded<ProductEvent>, store: ProjectionStore) => updateProduct(store, event)

const storyStatusChanged = (event: Recorded<StorySubmitted | StoryEdited | StoryModerated>, store: ProjectionStore) =>
  updateProduct(store, event, doc => storyPublished(doc, event.data.storyId, event.data.status === 'published'))

const listingClosed = (event: Recorded<ListingWithdrawn | ProductSold>, store: ProjectionStore) =>
  updateProduct(store, event, doc => listing(doc, event.data.listingId, null))

export const productsProjection = defineProjection({
  name: 'products',
  collections: [{ name: collections.products, indexes: [['ownerId', 'updatedAt'], ['gtin', 'serialNumber']] }],
  on: {
    ProductCreated: (event, store) => {
      const { productId, brandId, brandName, createdAt, ...details } = event.data
      return create<ProductDoc>(store, collections.products, event, {
        ...details,
        id: productId,
        productId,
        revision: event.revision,
        brand: { brandId, name: brandName },
        createdAt,
        updatedAt: event.metadata.occurredAt,
        qr: null,
        ownerId: brandId,
        owners: [{ userId: brandId, from: createdAt, to: null, via: 'creation', visibility: DEFAULT_VISIBILITY }],
        ownerCount: 1,
        publishedStoryIds: [],
        storiesCount: 0,
        activeListing: null,
      })
    },
    QrCodeIssued: (event, store) =>
      updateProduct(store, event, () => ({ qr: { code: event.data.qrCode, url: event.data.qrUrl, issuedAt: event.data.issuedAt } })),
    QrCodeRevoked: touch,
    ClaimCodeIssued: touch,
    OwnershipTransferred: (event, store) => updateProduct(store, event, doc => transfer(doc, event.data)),
    ConsentChanged: (event, store) =>
      updateProduct(store, event, doc => ({
        owners: doc.owners.map(period => (period.userId === event.data.ownerId ? { ...period, visibility: event.data.visibility } : period)),
      })),
    StorySubmitted: storyStatusChanged,
    StoryEdited: storyStatusChanged,
    StoryModerated: storyStatusChanged,
    StoryDeleted: (event, store) => updateProduct(store, event, doc => storyPublished(doc, event.data.storyId, false)),
    ProductListed: (event, store) => {
      const { listingId, price, condition } = event.data
      return updateProduct(store, event, () => ({ activeListing: { listingId, price, condition, status: 'active' } }))
    },
    ListingUpdated: (event, store) =>
      updateProduct(store, event, doc => listing(doc, event.data.listingId, { price: event.data.price, condition: event.data.condition })),
    ListingReserved: (event, store) => updateProduct(store, event, doc => listing(doc, event.data.listingId, { status: 'reserved' })),
    ReservationCancelled: (event, store) => updateProduct(store, event, doc => listing(doc, event.data.listingId, { status: 'active' })),
    ListingWithdrawn: listingClosed,
    ProductSold: listingClosed,
  },
})
