/**
 * The read-model documents the projections write and the query API reads, one interface per collection.
 * Personal data here is already decrypted; erasing a user blanks it (see UserErased).
 */
import type { ReadModelDoc } from './port.ts'
import type { Money } from '../domain/money.ts'
import type { Condition, Material, OwnershipVia, ProductCreated, StoryStatus, Visibility } from '../domain/product/events.ts'
import type { AccountType, Role } from '../domain/user/events.ts'
import type { AlertStatus } from '../domain/product/protectionEvents.ts'
import type { BrandStatus } from '../domain/user/state.ts'

export const collections = {
  products: 'products',
  qrCodes: 'qr_codes',
  users: 'users',
  brands: 'brands',
  stories: 'stories',
  mediaAttachments: 'media_attachments',
  listings: 'listings',
  transactions: 'transactions',
  collections: 'collections',
  notifications: 'notifications',
  inboxes: 'inboxes',
  storyAuthors: 'story_authors',
  ownerPeriods: 'owner_periods',
} as const

/** The QR look-up cache's entry of a code: the id of the product it was issued for. */
export const qrCacheKey = (qrCode: string): string => `qr:${qrCode}`

/** A period of ownership; the brand's is the first. */
export interface OwnerPeriod {
  userId: string
  from: string
  /** null while this owner still owns it. */
  to: string | null
  via: OwnershipVia
}

/** Periods of ownership a document holds at most. */
export const OWNER_PERIODS_PER_DOC = 32

/** id = ownerPeriodsId(productId, chunk): a product's periods of ownership in lots of OWNER_PERIODS_PER_DOC, the
 *  chunk-th lot (0 begins with the brand's). Queried by productId in chunk order. Kept apart from the product, so
 *  that a long history costs each new event one small document; in lots, so that a short one is one document. */
export interface OwnerPeriodsDoc extends ReadModelDoc {
  productId: string
  chunk: number
  periods: OwnerPeriod[]
}

export const ownerPeriodsId = (productId: string, chunk: number): string => `${productId}:${chunk}`

export interface ActiveListingSummary {
  listingId: string
  price: Money
  condition: Condition
  status: 'active' | 'reserved'
}

/** id = productId. Queried by ownerId, and by gtin + serialNumber (GS1 Digital Link). */
export interface ProductDoc extends ReadModelDoc, Omit<ProductCreated['data'], 'brandId' | 'brandName'> {
  /** Product stream revision of the last event applied (the ETag of product writes). */
  revision: number
  brand: { brandId: string; name: string }
  updatedAt: string
  /** The current code; null only between ProductCreated and the QrCodeIssued appended with it. */
  qr: { code: string; url: string; issuedAt: string } | null
  /** Codes flagged as possible clones (ScanAnomalyDetected); absent until one is. */
  suspiciousQrCodes?: string[]
  ownerId: string
  /** Every owner's visibility, the brand included, in the order they first owned it: an owner's consent covers all
   *  their periods. */
  ownerVisibility: Record<string, Visibility>
  /** Distinct owners, the brand included. */
  ownerCount: number
  /** Periods of ownership so far; the open one is the last (see OwnerPeriodsDoc). */
  ownerPeriods: number
  /** The published stories, so that storiesCount follows every status change without reading the stories. */
  publishedStoryIds: string[]
  storiesCount: number
  activeListing: ActiveListingSummary | null
  /** Set by an accepted recycling; absent on documents projected before lifecycle records existed. */
  endOfLife?: { type: string; at: string } | null
  /** Reported lost or stolen, since when; null or absent when not (documents made before alerts have none). */
  alert?: { status: AlertStatus; since: string } | null
}

/** id = the QR code. Every code ever issued stays, so a revoked code reads `revoked`, an unknown one 404. */
export interface QrCodeDoc extends ReadModelDoc {
  productId: string
  status: 'active' | 'revoked'
  issuedAt: string
  revokedAt: string | null
}

/** id = userId. */
export interface UserDoc extends ReadModelDoc {
  userId: string
  email: string | null
  displayName: string | null
  roles: Role[]
  accountType: AccountType
  brandName?: string
  registeredAt: string
  erased: boolean
}

/** id = userId of a brand account. Queried by status, sorted by appliedAt. */
export interface BrandDoc extends ReadModelDoc {
  userId: string
  brandName: string
  status: BrandStatus
  appliedAt: string
  /** When it was last verified; null until then. */
  verifiedAt: string | null
  gs1CompanyPrefixes: string[]
}

/** id = storyId. Queried by productId + status (sorted by occurredAt), by status (moderation), by authorId. */
export interface StoryDoc extends ReadModelDoc {
  storyId: string
  productId: string
  authorId: string
  title: string | null
  body: string | null
  occurredAt: string
  mediaIds: string[]
  status: StoryStatus
  moderationReason?: string
  submittedAt: string
  updatedAt: string
  /** A deleted story keeps its id and status history but no text or photos. */
  deleted: boolean
}

/** id = attachmentId(storyId, mediaId): a photo in one story (a photo may be in several). Queried by mediaId +
 *  published, so GET /api/media serves it to anyone while any published story shows it; by storyId. */
export interface MediaAttachmentDoc extends ReadModelDoc {
  mediaId: string
  storyId: string
  productId: string
  published: boolean
}

/** id = authorId. Internal to the stories projection: the stories to blank when their author is erased. */
export interface StoryAuthorDoc extends ReadModelDoc {
  storyIds: string[]
}

export const attachmentId = (storyId: string, mediaId: string): string => `${storyId}:${mediaId}`

export type ListingStatus = 'active' | 'reserved' | 'sold' | 'withdrawn'

/** id = listingId. Queried by status, brandName, condition, price.amount; sorted by price.amount or createdAt. */
export interface ListingDoc extends ReadModelDoc {
  listingId: string
  productId: string
  productName: string
  brandName: string
  sellerId: string
  price: Money
  condition: Condition
  description?: string
  suggestedPrice: Money | null
  status: ListingStatus
  createdAt: string
  updatedAt: string
  transactionId: string | null
}

export type TransactionStatus = 'pending_payment' | 'completed' | 'cancelled' | 'expired'

/** id = transactionId. */
export interface TransactionDoc extends ReadModelDoc {
  transactionId: string
  listingId: string
  productId: string
  buyerId: string
  sellerId: string
  price: Money
  status: TransactionStatus
  createdAt: string
  expiresAt: string
  completedAt: string | null
  cancelledAt: string | null
}

export interface DesignSummary {
  designId: string
  name: string
  description?: string
  materials?: Material[]
}

/** id = collectionId. Queried by brandId, sorted by createdAt. */
export interface CollectionDoc extends ReadModelDoc {
  collectionId: string
  brandId: string
  brandName: string
  name: string
  season?: string
  description?: string
  designs: DesignSummary[]
  createdAt: string
}

/** Notifications a page holds at most. */
export const NOTIFICATIONS_PER_PAGE = 50

/** One per user and event; read is always false (nothing marks one read), so it is not stored. */
export interface Notification {
  type: 'product_received' | 'listing_sold' | 'listing_reserved' | 'story_approved' | 'story_rejected' | 'scan_anomaly' | 'lifecycle_pending' | 'scanned_while_reported'
  productId?: string
  eventId: string
  createdAt: string
  /** Of the event. */
  position: number
}

/** The id the API gives a notification, made up when it is read rather than stored in each. */
export const notificationId = (userId: string, eventId: string): string => `${userId}:${eventId}`

/** id = userId. Its position is that of the last event applied to the user's notifications: pages are written
 *  before it, so a replayed event finds it there and notifies no one twice. */
export interface InboxDoc extends ReadModelDoc {
  userId: string
  /** Notifications so far. */
  count: number
}

/** id = notificationPageId(userId, page): a user's notifications in log order, the n-th (from 0) in page
 *  floor(n / NOTIFICATIONS_PER_PAGE) at n % NOTIFICATIONS_PER_PAGE. Read by id only: a rebuild writes a page per
 *  NOTIFICATIONS_PER_PAGE notifications, not a document each. */
export interface NotificationPageDoc extends ReadModelDoc {
  userId: string
  page: number
  notifications: Notification[]
}

export const notificationPageId = (userId: string, page: number): string => `${userId}:${page}`

/** The page that holds a user's n-th notification (from 0). */
export const notificationPageOf = (n: number): number => Math.floor(n / NOTIFICATIONS_PER_PAGE)
