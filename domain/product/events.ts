import type { DomainEvent } from '../decider.ts'
import type { Money } from '../money.ts'
import type { LifecycleEvent } from './lifecycleEvents.ts'
import type { ProtectionEvent } from './protectionEvents.ts'

export interface Material {
  fibre: string
  percent: number
}

export type OwnershipVia = 'creation' | 'transfer' | 'claim' | 'resale' | 'take_back'
export type Visibility = 'public' | 'anonymous' | 'hidden'
export type StoryStatus = 'published' | 'pending' | 'rejected'
export type Condition = 'new' | 'like_new' | 'good' | 'fair'

/** The brand is the first owner. */
export type ProductCreated = DomainEvent<
  'ProductCreated',
  {
    productId: string
    brandId: string
    brandName: string
    name: string
    description?: string
    collectionId?: string
    designId?: string
    gtin?: string
    serialNumber: string
    materials?: Material[]
    madeIn?: string
    originalPrice?: Money
    createdAt: string
  }
>

export type QrCodeIssued = DomainEvent<'QrCodeIssued', { productId: string; qrCode: string; qrUrl: string; issuedAt: string }>

export type QrCodeRevoked = DomainEvent<'QrCodeRevoked', { productId: string; qrCode: string; revokedAt: string }>

/** Only the hash of a claim code is kept; the code itself is shown once to the owner who asked for it. */
export type ClaimCodeIssued = DomainEvent<
  'ClaimCodeIssued',
  { productId: string; claimCodeHash: string; issuedBy: string; expiresAt: string }
>

export type OwnershipTransferred = DomainEvent<
  'OwnershipTransferred',
  { productId: string; fromUserId: string; toUserId: string; via: Exclude<OwnershipVia, 'creation'>; at: string }
>

/** Applies to every period in which ownerId owned the product. */
export type ConsentChanged = DomainEvent<'ConsentChanged', { productId: string; ownerId: string; visibility: Visibility }>

export interface StoryContent {
  title: string
  body: string
  occurredAt: string
  mediaIds: string[]
}

/** A story's content as submitted or edited, with the verdict of automatic moderation. */
export type StoryVersion = StoryContent & {
  productId: string
  storyId: string
  authorId: string
  status: StoryStatus
  moderationReason?: string
}

export type StorySubmitted = DomainEvent<'StorySubmitted', StoryVersion & { submittedAt: string }>

/** Carries the whole content after the edit; an edit goes through moderation again. */
export type StoryEdited = DomainEvent<'StoryEdited', StoryVersion & { editedAt: string }>

export type StoryModerated = DomainEvent<
  'StoryModerated',
  {
    productId: string
    storyId: string
    moderatorId: string
    decision: 'approve' | 'reject'
    reason?: string
    status: StoryStatus
    moderatedAt: string
  }
>

export type StoryDeleted = DomainEvent<'StoryDeleted', { productId: string; storyId: string; deletedBy: string; deletedAt: string }>

export type ProductListed = DomainEvent<
  'ProductListed',
  {
    productId: string
    listingId: string
    sellerId: string
    price: Money
    condition: Condition
    description?: string
    suggestedPrice: Money | null
    listedAt: string
  }
>

/** Carries the listing's terms after the update. */
export type ListingUpdated = DomainEvent<
  'ListingUpdated',
  { productId: string; listingId: string; price: Money; condition: Condition; description?: string; updatedAt: string }
>

export type ListingWithdrawn = DomainEvent<'ListingWithdrawn', { productId: string; listingId: string; withdrawnAt: string }>

export type ListingReserved = DomainEvent<
  'ListingReserved',
  {
    productId: string
    listingId: string
    transactionId: string
    buyerId: string
    sellerId: string
    price: Money
    reservedAt: string
    expiresAt: string
  }
>

export type ReservationCancelled = DomainEvent<
  'ReservationCancelled',
  {
    productId: string
    listingId: string
    transactionId: string
    reason: 'cancelled' | 'expired'
    cancelledBy?: string
    at: string
  }
>

/** Always appended together with the OwnershipTransferred (via resale) that moves the product to the buyer. */
export type ProductSold = DomainEvent<
  'ProductSold',
  {
    productId: string
    listingId: string
    transactionId: string
    sellerId: string
    buyerId: string
    price: Money
    paymentReference: string
    soldAt: string
  }
>

/**
 * A possible cloned label: its code was scanned from more distinct client networks within the window than the
 * threshold. Counts only, never addresses. The code reads `suspicious` until a new code replaces it.
 */
export type ScanAnomalyDetected = DomainEvent<
  'ScanAnomalyDetected',
  { productId: string; qrCode: string; networks: number; threshold: number; windowMinutes: number; brandId: string; ownerId: string; detectedAt: string }
>

export type ProductEvent =
  | ProductCreated
  | ScanAnomalyDetected
  | QrCodeIssued
  | QrCodeRevoked
  | ClaimCodeIssued
  | OwnershipTransferred
  | ConsentChanged
  | StorySubmitted
  | StoryEdited
  | StoryModerated
  | StoryDeleted
  | ProductListed
  | ListingUpdated
  | ListingWithdrawn
  | ListingReserved
  | ReservationCancelled
  | ProductSold
  | LifecycleEvent
  | ProtectionEvent
