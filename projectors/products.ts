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
  Visibility,
} from '../domain/product/events.ts'
import { DEFAULT_VISIBILITY } from '../domain/product/consent.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import {
  collections,
  OWNER_PERIODS_PER_DOC,
  ownerPeriodsId,
  type ActiveListingSummary,
  type OwnerPeriod,
  type OwnerPeriodsDoc,
  type ProductDoc,
} from '../readmodels/documents.ts'
import { defineProjection, type Recorded } from './projection.ts'
import { create, patch, update } from './write.ts'

/** `change` returns a new object, which this stamps with the revision (and update with the time). */
const updateProduct = (store: ProjectionStore, event: Recorded<ProductEvent>, change: (doc: ProductDoc) => Partial<ProductDoc> = () => ({})) =>
  update<ProductDoc>(store, collections.products, event.data.productId, event, doc => {
    const fields = change(doc)
    fields.revision = event.revision
    return fields
  })

/** A copy with one owner's visibility set; built by assignment, as a spread with a computed key is ≈ 3× slower. */
function withVisibility(visibilities: Record<string, Visibility>, ownerId: string, visibility: Visibility): Record<string, Visibility> {
  const copy = Object.assign({}, visibilities)
  copy[ownerId] = visibility
  return copy
}

const chunkOf = (index: number) => Math.floor(index / OWNER_PERIODS_PER_DOC)

const newChunk = (store: ProjectionStore, event: Recorded<ProductEvent>, chunk: number, period: OwnerPeriod) => {
  const { productId } = event.data
  return create<OwnerPeriodsDoc>(store, collections.ownerPeriods, event, { id: ownerPeriodsId(productId, chunk), productId, chunk, periods: [period] })
}

/** One change to a chunk per event: a second would be skipped as already applied. */
const changeChunk = (store: ProjectionStore, event: Recorded<ProductEvent>, chunk: number, change: (periods: OwnerPeriod[]) => OwnerPeriod[]) =>
  patch<OwnerPeriodsDoc>(store, collections.ownerPeriods, ownerPeriodsId(event.data.productId, chunk), event, doc => ({ periods: change(doc.periods) }))

/** The periods with the one in `slot` ended `at`. */
const closed = (periods: OwnerPeriod[], slot: number, at: string): OwnerPeriod[] =>
  periods.map((period, i) => (i === slot ? { ...period, to: at } : period))

/** Closes the open period and opens the next; the product is written last, so that its position says all is done. */
async function transfer(event: Recorded<OwnershipTransferred>, store: ProjectionStore) {
  const { productId, toUserId, via, at } = event.data
  const product = await store.get<ProductDoc>(collections.products, productId)
  if (!product || product.position >= event.position) return
  const open = product.ownerPeriods - 1
  const slot = open % OWNER_PERIODS_PER_DOC
  const next: OwnerPeriod = { userId: toUserId, from: at, to: null, via }
  if (chunkOf(open + 1) === chunkOf(open)) await changeChunk(store, event, chunkOf(open), periods => [...closed(periods, slot, at), next])
  else {
    await changeChunk(store, event, chunkOf(open), periods => closed(periods, slot, at))
    await newChunk(store, event, chunkOf(open + 1), next)
  }
  // Consent covers all of an owner's periods, so an owner coming back keeps the visibility they chose.
  const ownerVisibility = withVisibility(product.ownerVisibility, toUserId, product.ownerVisibility[toUserId] ?? DEFAULT_VISIBILITY)
  await updateProduct(store, event, () => ({ ownerId: toUserId, ownerVisibility, ownerCount: Object.keys(ownerVisibility).length, ownerPeriods: open + 2 }))
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
  // Written in this order: a product records an event's position once its owner periods hold it too.
  collections: [
    { name: collections.ownerPeriods, indexes: [['productId', 'chunk']] },
    { name: collections.products, indexes: [['ownerId', 'updatedAt'], ['gtin', 'serialNumber']] },
  ],
  on: {
    ProductCreated: async (event, store) => {
      const { productId, brandId, brandName, createdAt, ...details } = event.data
      await newChunk(store, event, 0, { userId: brandId, from: createdAt, to: null, via: 'creation' })
      // Object.assign rather than a spread: a spread object that then takes a dozen more fields is many times slower to build and to change.
      const product: Omit<ProductDoc, 'position' | keyof typeof details> = {
        id: productId,
        productId,
        revision: event.revision,
        brand: { brandId, name: brandName },
        createdAt,
        updatedAt: event.metadata.occurredAt,
        qr: null,
        ownerId: brandId,
        ownerVisibility: { [brandId]: DEFAULT_VISIBILITY },
        ownerCount: 1,
        ownerPeriods: 1,
        publishedStoryIds: [],
        storiesCount: 0,
        activeListing: null,
      }
      await create<ProductDoc>(store, collections.products, event, Object.assign(product, details))
    },
    QrCodeIssued: (event, store) =>
      updateProduct(store, event, () => ({ qr: { code: event.data.qrCode, url: event.data.qrUrl, issuedAt: event.data.issuedAt } })),
    QrCodeRevoked: touch,
    ScanAnomalyDetected: (event, store) =>
      updateProduct(store, event, doc => ({ suspiciousQrCodes: [...(doc.suspiciousQrCodes ?? []), event.data.qrCode] })),
    ClaimCodeIssued: touch,
    OwnershipTransferred: transfer,
    ConsentChanged: (event, store) =>
      updateProduct(store, event, doc => ({ ownerVisibility: withVisibility(doc.ownerVisibility, event.data.ownerId, event.data.visibility) })),
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
    LifecycleRecorded: touch,
    LifecycleRefused: touch,
    LifecycleAccepted: (event, store) =>
      updateProduct(store, event, () => (event.data.type === 'recycling' ? { endOfLife: { type: event.data.type, at: event.data.acceptedAt } } : {})),
    PassportDataUpdated: touch,
    AlertRaised: (event, store) => updateProduct(store, event, () => ({ alert: { status: event.data.status, since: event.data.at } })),
    AlertCleared: (event, store) => updateProduct(store, event, () => ({ alert: null })),
    ScannedWhileReported: touch,
    OwnershipProofIssued: touch,
    OwnershipProofRevoked: touch,
  },
})
