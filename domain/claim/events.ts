import type { DomainEvent } from '../decider.ts'

/**
 * What must be unique across accounts or products (a verified brand name, a GS1 Company Prefix, a GTIN with its
 * serial number) has a stream of its own, claimed by one holder at a time: a strongly consistent uniqueness rule.
 */
export type ClaimKind = 'brandName' | 'gs1CompanyPrefix' | 'itemIdentifier'

export type KeyClaimed = DomainEvent<'KeyClaimed', { kind: ClaimKind; key: string; holderId: string }>

/** The key is free again (a brand whose verification was revoked lets go of its name and prefixes). */
export type KeyReleased = DomainEvent<'KeyReleased', { kind: ClaimKind; key: string; holderId: string }>

export type ClaimEvent = KeyClaimed | KeyReleased
