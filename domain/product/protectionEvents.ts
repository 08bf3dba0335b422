/** The events by which an owner protects their product: lost/stolen reports and proofs of ownership. */
import type { DomainEvent } from '../decider.ts'

export type AlertStatus = 'lost' | 'stolen'

/** The owner reports the product lost or stolen (again, to change the status or the note). */
export type AlertRaised = DomainEvent<
  'AlertRaised',
  { productId: string; status: AlertStatus; note?: string; reportedBy: string; at: string }
>

export type AlertCleared = DomainEvent<'AlertCleared', { productId: string; clearedBy: string; at: string }>

/** The product was scanned while reported: its owner hears of it, with the time and nothing about who scanned. */
export type ScannedWhileReported = DomainEvent<'ScannedWhileReported', { productId: string; ownerId: string; at: string }>

/** Only the hash of a proof token is kept; the token itself is shown once to the owner who asked for it. */
export type OwnershipProofIssued = DomainEvent<
  'OwnershipProofIssued',
  { productId: string; proofHash: string; ownerId: string; issuedAt: string; expiresAt: string }
>

export type OwnershipProofRevoked = DomainEvent<
  'OwnershipProofRevoked',
  { productId: string; proofHash: string; revokedBy: string; revokedAt: string }
>

export type ProtectionEvent = AlertRaised | AlertCleared | ScannedWhileReported | OwnershipProofIssued | OwnershipProofRevoked
