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

export type UserEvent = UserRegistered | UserRolesChanged | UserErased

/**
 * Written to the email's own stream before the account's UserRegistered, so two registrations cannot share an
 * email. `claimedAt` is absent from claims recorded without it.
 */
export type EmailClaimed = DomainEvent<'EmailClaimed', { emailHash: string; userId: string; claimedAt?: string }>

/** The email is free again: its account was erased, or its registration did not complete. */
export type EmailReleased = DomainEvent<'EmailReleased', { emailHash: string; userId: string; releasedAt: string }>

export type EmailEvent = EmailClaimed | EmailReleased
