import type { DomainCommand } from '../decider.ts'
import type { Money } from '../money.ts'
import type { Condition, ProductCreated, Visibility } from './events.ts'
import type { LifecycleCommand } from './lifecycleCommands.ts'
import type { PassportData } from './lifecycleEvents.ts'
import type { ProtectionCommand } from './protectionCommands.ts'

type ProductCommandOf<Type extends string, Data extends object> = DomainCommand<Type, { productId: string } & Data>

/** Facts about the referenced collection, loaded by the API from the collection stream. */
export interface CollectionFacts {
  brandId: string
  designIds: string[]
}

/** The issuing brand's verification, loaded by the API from the brand's user stream. */
export interface BrandFacts {
  verified: boolean
  gs1CompanyPrefixes: string[]
}

export type CreateProduct = ProductCommandOf<
  'CreateProduct',
  Omit<ProductCreated['data'], 'createdAt'> & { qrCode: string; qrUrl: string; collection?: CollectionFacts; brand: BrandFacts; passportData?: PassportData }
>

export type RegenerateQrCode = ProductCommandOf<'RegenerateQrCode', { qrCode: string; qrUrl: string }>

export type TransferOwnership = ProductCommandOf<'TransferOwnership', { toUserId: string }>

export type IssueClaimCode = ProductCommandOf<'IssueClaimCode', { claimCodeHash: string; expiresAt: string }>

export type ClaimProduct = ProductCommandOf<'ClaimProduct', { claimCodeHash: string }>

export type ChangeConsent = ProductCommandOf<'ChangeConsent', { visibility: Visibility }>

export type SubmitStory = ProductCommandOf<
  'SubmitStory',
  { storyId: string; title: string; body: string; occurredAt: string; mediaIds: string[] }
>

export type EditStory = ProductCommandOf<
  'EditStory',
  { storyId: string; title?: string; body?: string; occurredAt?: string; mediaIds?: string[] }
>

export type DeleteStory = ProductCommandOf<'DeleteStory', { storyId: string }>

export type ModerateStory = ProductCommandOf<
  'ModerateStory',
  { storyId: string; decision: 'approve' | 'reject'; reason?: string }
>

export type ListProduct = ProductCommandOf<
  'ListProduct',
  { listingId: string; price: Money; condition: Condition; description?: string; suggestedPrice: Money | null }
>

export type UpdateListing = ProductCommandOf<
  'UpdateListing',
  { listingId: string; price?: Money; condition?: Condition; description?: string }
>

export type WithdrawListing = ProductCommandOf<'WithdrawListing', { listingId: string }>

export type ReserveListing = ProductCommandOf<'ReserveListing', { listingId: string; transactionId: string; expiresAt: string }>

export type ConfirmPurchase = ProductCommandOf<'ConfirmPurchase', { transactionId: string; paymentReference: string }>

export type CancelReservation = ProductCommandOf<'CancelReservation', { transactionId: string }>

export type ExpireReservation = ProductCommandOf<'ExpireReservation', { transactionId: string }>

/** A code was scanned from more client networks within the window than the threshold allows (counts only). */
export type FlagScanAnomaly = ProductCommandOf<'FlagScanAnomaly', { qrCode: string; networks: number; threshold: number; windowMinutes: number }>

export type ProductCommand =
  | CreateProduct
  | FlagScanAnomaly
  | RegenerateQrCode
  | TransferOwnership
  | IssueClaimCode
  | ClaimProduct
  | ChangeConsent
  | SubmitStory
  | EditStory
  | DeleteStory
  | ModerateStory
  | ListProduct
  | UpdateListing
  | WithdrawListing
  | ReserveListing
  | ConfirmPurchase
  | CancelReservation
  | ExpireReservation
  | LifecycleCommand
  | ProtectionCommand
