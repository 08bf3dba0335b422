import type { DomainEvent } from '../decider.ts'

/**
 * What must be unique across accounts or products (an email, a verified brand name, a GS1 Company Prefix, a GTIN
 * with its serial number) is claimed on a stream of its own key: a strongly consistent uniqueness rule.
 */
export type ClaimKind = 'email' | 'brandName' | 'gs1CompanyPrefix' | 'itemIdentifier'

/**
 * `holderId` names the stream whose event will use the claim (a user's, a product's). `value` is what is claimed
 * when it differs from the key: a GS1 Company Prefix also claims each shorter run of its digits (see
 * domain/gs1CompanyPrefix.ts). `claimedAt` is absent from claims recorded without it.
 */
export type KeyClaimed = DomainEvent<'KeyClaimed', { kind: ClaimKind; key: string; holderId: string; value?: string; claimedAt?: string }>

/** The key is free again for this holder's value: let go of (a revocation, a failed command) or lapsed. */
export type KeyReleased = DomainEvent<'KeyReleased', { kind: ClaimKind; key: string; holderId: string; value?: string }>

export type ClaimEvent = KeyClaimed | KeyReleased
