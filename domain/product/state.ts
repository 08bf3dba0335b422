import type { Money } from '../money.ts'
import type { Condition, ProductEvent, StoryContent, StoryStatus, Visibility } from './events.ts'
import type { LifecycleRecord, LifecycleStatus, LifecycleType, PassportData } from './lifecycleEvents.ts'
import { evolveProtection, type Alert, type OwnershipProof } from './protectionState.ts'

export interface OwnershipPeriod {
  ownerId: string
  from: string
  /** null while this owner still owns the product. */
  to: string | null
}

export interface Story {
  authorId: string
  content: StoryContent
  status: StoryStatus
  deleted: boolean
}

export interface Reservation {
  transactionId: string
  buyerId: string
  expiresAt: string
}

export type ListingStatus = 'active' | 'reserved' | 'sold' | 'withdrawn'

export interface Listing {
  listingId: string
  sellerId: string
  price: Money
  condition: Condition
  description?: string
  status: ListingStatus
  reservation: Reservation | null
}

export type TransactionStatus = 'pending' | 'completed' | 'cancelled' | 'expired'

export interface Transaction {
  transactionId: string
  listingId: string
  buyerId: string
  sellerId: string
  price: Money
  expiresAt: string
  status: TransactionStatus
  /** When a reservation that did not end in a sale ended, and whether its buyer cancelled it. */
  endedAt?: string
  cancelledByBuyer?: boolean
}

export type LifecycleEntry = LifecycleRecord & { status: LifecycleStatus; recordedAt: string; decidedAt: string | null }

export interface ProductState {
  exists: boolean
  productId: string
  brandId: string
  createdAt: string
  originalPrice?: Money
  ownerId: string
  owners: OwnershipPeriod[]
  consents: Record<string, Visibility>
  qrCode: string | null
  revokedQrCodes: string[]
  /** Codes flagged as possibly cloned (ScanAnomalyDetected). */
  suspiciousQrCodes: string[]
  claimCode: { hash: string; expiresAt: string } | null
  usedClaimCodes: string[]
  stories: Record<string, Story>
  listings: Record<string, Listing>
  /** The listing that is active or reserved, if any. */
  openListingId: string | null
  transactions: Record<string, Transaction>
  /** Lifecycle records in the order they were written. */
  lifecycle: Record<string, LifecycleEntry>
  /** Set by an accepted recycling. */
  endOfLife: { type: LifecycleType; at: string } | null
  passportData: PassportData
  /** Reported lost or stolen; null when not. */
  alert: Alert | null
  /** By the hash of their token. */
  proofs: Record<string, OwnershipProof>
}

export const initialState = (): ProductState => ({
  exists: false,
  productId: '',
  brandId: '',
  createdAt: '',
  ownerId: '',
  owners: [],
  consents: {},
  qrCode: null,
  revokedQrCodes: [],
  suspiciousQrCodes: [],
  claimCode: null,
  usedClaimCodes: [],
  stories: {},
  listings: {},
  openListingId: null,
  transactions: {},
  lifecycle: {},
  endOfLife: null,
  passportData: {},
  alert: null,
  proofs: {},
})

export const openListing = (state: ProductState): Listing | null =>
  state.openListingId === null ? null : (state.listings[state.openListingId] ?? null)

const withListing = (state: ProductState, listingId: string, change: Partial<Listing>): ProductState => {
  const listing = state.listings[listingId]
  return listing ? { ...state, listings: { ...state.listings, [listingId]: { ...listing, ...change } } } : state
}

const withTransaction = (state: ProductState, transactionId: string, change: Partial<Transaction>): ProductState => {
  const transaction = state.transactions[transactionId]
  return transaction ? { ...state, transactions: { ...state.transactions, [transactionId]: { ...transaction, ...change } } } : state
}

const withLifecycle = (state: ProductState, lifecycleId: string, change: Partial<LifecycleEntry>): ProductState => {
  const record = state.lifecycle[lifecycleId]
  return record ? { ...state, lifecycle: { ...state.lifecycle, [lifecycleId]: { ...record, ...change } } } : state
}

const withStory = (state: ProductState, storyId: string, change: Partial<Story>): ProductState => {
  const story = state.stories[storyId]
  return story ? { ...state, stories: { ...state.stories, [storyId]: { ...story, ...change } } } : state
}

/** The open period is always the last one. */
const closeOpenPeriod = (owners: readonly OwnershipPeriod[], at: string): OwnershipPeriod[] =>
  owners.length === 0 ? [] : [...owners.slice(0, -1), { ...owners.at(-1)!, to: at }]

export const evolve = (state: ProductState, event: ProductEvent): ProductState => {
  switch (event.type) {
    case 'ProductCreated': {
      const { productId, brandId, createdAt, originalPrice } = event.data
      return {
        ...state,
        exists: true,
        productId,
        brandId,
        createdAt,
        ...(originalPrice ? { originalPrice } : {}),
        ownerId: brandId,
        owners: [{ ownerId: brandId, from: createdAt, to: null }],
      }
    }
    case 'QrCodeIssued':
      return { ...state, qrCode: event.data.qrCode }
    case 'QrCodeRevoked':
      return {
        ...state,
        qrCode: state.qrCode === event.data.qrCode ? null : state.qrCode,
        revokedQrCodes: [...state.revokedQrCodes, event.data.qrCode],
      }
    case 'ScanAnomalyDetected':
      return { ...state, suspiciousQrCodes: [...state.suspiciousQrCodes, event.data.qrCode] }
    case 'ClaimCodeIssued':
      return { ...state, claimCode: { hash: event.data.claimCodeHash, expiresAt: event.data.expiresAt } }
    case 'OwnershipTransferred': {
      const { toUserId, at, via } = event.data
      return {
        ...state,
        ownerId: toUserId,
        owners: [...closeOpenPeriod(state.owners, at), { ownerId: toUserId, from: at, to: null }],
        claimCode: null,
        usedClaimCodes: via === 'claim' && state.claimCode ? [...state.usedClaimCodes, state.claimCode.hash] : state.usedClaimCodes,
      }
    }
    case 'ConsentChanged':
      return { ...state, consents: { ...state.consents, [event.data.ownerId]: event.data.visibility } }
    case 'StorySubmitted': {
      const { storyId, authorId, status, title, body, occurredAt, mediaIds } = event.data
      return {
        ...state,
        stories: { ...state.stories, [storyId]: { authorId, status, deleted: false, content: { title, body, occurredAt, mediaIds } } },
      }
    }
    case 'StoryEdited': {
      const { storyId, status, title, body, occurredAt, mediaIds } = event.data
      return withStory(state, storyId, { status, content: { title, body, occurredAt, mediaIds } })
    }
    case 'StoryModerated':
      return withStory(state, event.data.storyId, { status: event.data.status })
    case 'StoryDeleted':
      return withStory(state, event.data.storyId, { deleted: true })
    case 'ProductListed': {
      const { listingId, sellerId, price, condition, description } = event.data
      const terms = { price, condition, ...(description !== undefined ? { description } : {}) }
      const listing: Listing = { listingId, sellerId, ...terms, status: 'active', reservation: null }
      return { ...state, listings: { ...state.listings, [listingId]: listing }, openListingId: listingId }
    }
    case 'ListingUpdated': {
      const { listingId, price, condition, description } = event.data
      const listing = state.listings[listingId]
      if (!listing) return state
      const { description: _previous, ...terms } = listing
      const updated: Listing = { ...terms, price, condition, ...(description !== undefined ? { description } : {}) }
      return { ...state, listings: { ...state.listings, [listingId]: updated } }
    }
    case 'ListingWithdrawn':
      return { ...withListing(state, event.data.listingId, { status: 'withdrawn' }), openListingId: null }
    case 'ListingReserved': {
      const { listingId, transactionId, buyerId, sellerId, price, expiresAt } = event.data
      const reserved = withListing(state, listingId, { status: 'reserved', reservation: { transactionId, buyerId, expiresAt } })
      const transaction: Transaction = { transactionId, listingId, buyerId, sellerId, price, expiresAt, status: 'pending' }
      return { ...reserved, transactions: { ...reserved.transactions, [transactionId]: transaction } }
    }
    case 'ReservationCancelled': {
      const { listingId, transactionId, reason, cancelledBy, at } = event.data
      const released = withListing(state, listingId, { status: 'active', reservation: null })
      const cancelledByBuyer = cancelledBy !== undefined && cancelledBy === state.transactions[transactionId]?.buyerId
      return withTransaction(released, transactionId, { status: reason === 'expired' ? 'expired' : 'cancelled', endedAt: at, cancelledByBuyer })
    }
    case 'ProductSold': {
      const sold = withListing(state, event.data.listingId, { status: 'sold', reservation: null })
      return { ...withTransaction(sold, event.data.transactionId, { status: 'completed' }), openListingId: null }
    }
    case 'LifecycleRecorded': {
      const { productId: _product, ownerId: _owner, recordedAt, ...record } = event.data
      return { ...state, lifecycle: { ...state.lifecycle, [record.lifecycleId]: { ...record, status: 'pending_owner', recordedAt, decidedAt: null } } }
    }
    case 'LifecycleAccepted': {
      const { lifecycleId, type, acceptedAt } = event.data
      const accepted = withLifecycle(state, lifecycleId, { status: 'accepted', decidedAt: acceptedAt })
      return type === 'recycling' ? { ...accepted, endOfLife: { type, at: acceptedAt } } : accepted
    }
    case 'LifecycleRefused':
      return withLifecycle(state, event.data.lifecycleId, { status: 'refused', decidedAt: event.data.refusedAt })
    case 'PassportDataUpdated': {
      const { productId: _product, updatedBy: _by, updatedAt: _at, ...data } = event.data
      return { ...state, passportData: { ...state.passportData, ...data } }
    }
    case 'AlertRaised':
    case 'AlertCleared':
    case 'ScannedWhileReported':
    case 'OwnershipProofIssued':
    case 'OwnershipProofRevoked':
      return evolveProtection(state, event)
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
