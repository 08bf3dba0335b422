import type { DomainCommand } from '../decider.ts'
import type { AlertStatus } from './protectionEvents.ts'

type ProductCommandOf<Type extends string, Data extends object> = DomainCommand<Type, { productId: string } & Data>

/** `none` clears the alert. */
export type SetAlert = ProductCommandOf<'SetAlert', { status: AlertStatus | 'none'; note?: string }>

/** Someone scanned the product; metadata.now is when. */
export type NoteScan = ProductCommandOf<'NoteScan', Record<never, never>>

export type IssueOwnershipProof = ProductCommandOf<'IssueOwnershipProof', { proofHash: string; expiresAt: string }>

export type RevokeOwnershipProof = ProductCommandOf<'RevokeOwnershipProof', { proofHash: string }>

export type ProtectionCommand = SetAlert | NoteScan | IssueOwnershipProof | RevokeOwnershipProof
