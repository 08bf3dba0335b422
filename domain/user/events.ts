import type { DomainEvent } from '../decider.ts'

export type Role = 'consumer' | 'brand' | 'moderator' | 'admin' | PartnerRoleName

/** Partner roles, granted by an admin. */
export type PartnerRoleName = 'repairer' | 'reseller' | 'recycler' | 'authority'
export type AccountType = 'consumer' | 'brand'

/**
 * email and displayName are personal data, and passwordHash a secret of the user's: the event log stores them
 * sealed with the user's key (see adapters/personalData), so erasing the key also makes the account unusable.
 * emailHash is a keyed hash, so login can find the account without clear text.
 */
export type UserRegistered = DomainEvent<
  'UserRegistered',
  {
    userId: string
    email: string
    emailHash: string
    displayName: string
    passwordHash: string
    accountType: AccountType
    brandName?: string
    roles: Role[]
    registeredAt: string
  }
>

export type UserRolesChanged = DomainEvent<'UserRolesChanged', { userId: string; roles: Role[]; changedBy: string; changedAt: string }>

/** The user's key is deleted with this event: their personal data in every earlier event becomes unreadable. */
export type UserErased = DomainEvent<'UserErased', { userId: string; erasedBy: string; erasedAt: string }>

/** An admin vouched for the brand: it issues passports, for GTINs under these GS1 Company Prefixes only. */
export type BrandVerified = DomainEvent<
  'BrandVerified',
  { userId: string; brandName: string; gs1CompanyPrefixes: string[]; verifiedBy: string; verifiedAt: string }
>

/** More GS1 Company Prefixes for a brand already verified. */
export type Gs1CompanyPrefixesGranted = DomainEvent<
  'Gs1CompanyPrefixesGranted',
  { userId: string; gs1CompanyPrefixes: string[]; grantedBy: string; grantedAt: string }
>

/** An application turned down before the brand was ever verified. */
export type BrandRejected = DomainEvent<'BrandRejected', { userId: string; reason?: string; rejectedBy: string; rejectedAt: string }>

/** A verified brand is verified no more: it issues nothing from now on, and its products read `unverified_brand`. */
export type BrandVerificationRevoked = DomainEvent<
  'BrandVerificationRevoked',
  { userId: string; reason?: string; revokedBy: string; revokedAt: string }
>

export type BrandEvent = BrandVerified | Gs1CompanyPrefixesGranted | BrandRejected | BrandVerificationRevoked

export type UserEvent = UserRegistered | UserRolesChanged | UserErased | BrandEvent

/**
 * Written to the email's own stream before the account's UserRegistered, so two registrations cannot share an
 * email. `claimedAt` is absent from claims recorded without it.
 */
export type EmailClaimed = DomainEvent<'EmailClaimed', { emailHash: string; userId: string; claimedAt?: string }>

/** The email is free again: its account was erased, or its registration did not complete. */
export type EmailReleased = DomainEvent<'EmailReleased', { emailHash: string; userId: string; releasedAt: string }>

export type EmailEvent = EmailClaimed | EmailReleased
