/**
 * Proofs of ownership: the current owner mints a proof (a token whose hash the stream keeps) that a resale
 * marketplace checks; it holds until it expires, its owner revokes it, or the product changes owner.
 */
import { Conflict, Forbidden, NotFound, RuleViolated } from '../../errors.ts'
import type { IssueOwnershipProof, RevokeOwnershipProof } from '../protectionCommands.ts'
import type { OwnershipProofIssued, OwnershipProofRevoked } from '../protectionEvents.ts'
import type { OwnershipProof } from '../protectionState.ts'
import type { ProductState } from '../state.ts'
import { isAtOrAfter, requireOwner, requireProduct, requireTime } from './guards.ts'

export const issueOwnershipProof = ({ data, metadata }: IssueOwnershipProof, state: ProductState): [OwnershipProofIssued] => {
  requireProduct(state)
  requireOwner(state, metadata.actorId, 'prove ownership')
  requireTime(data.expiresAt, 'expiresAt')
  if (isAtOrAfter(metadata.now, data.expiresAt)) throw new RuleViolated('a proof must expire in the future')
  if (state.proofs[data.proofHash]) throw new Conflict('proof already exists')
  const { productId, proofHash, expiresAt } = data
  return [{ type: 'OwnershipProofIssued', data: { productId, proofHash, ownerId: metadata.actorId, issuedAt: metadata.now, expiresAt } }]
}

export const revokeOwnershipProof = ({ data, metadata }: RevokeOwnershipProof, state: ProductState): OwnershipProofRevoked[] => {
  requireProduct(state)
  const proof = state.proofs[data.proofHash]
  if (!proof) throw new NotFound('unknown proof')
  if (proof.ownerId !== metadata.actorId) throw new Forbidden('only the owner who issued a proof can revoke it')
  if (proof.revoked) return []
  const { productId, proofHash } = data
  return [{ type: 'OwnershipProofRevoked', data: { productId, proofHash, revokedBy: metadata.actorId, revokedAt: metadata.now } }]
}

export type ProofStanding = { holds: true; proof: OwnershipProof } | { holds: false; why: 'unknown' | 'expired' | 'revoked' | 'owner_changed' }

/** Whether a proof still says what it said when issued: the same owner owns the product, now. */
export function proofStanding(state: ProductState, proofHash: string, now: string): ProofStanding {
  const proof = state.exists ? state.proofs[proofHash] : undefined
  if (!proof) return { holds: false, why: 'unknown' }
  if (proof.revoked) return { holds: false, why: 'revoked' }
  if (proof.period !== state.owners.length - 1) return { holds: false, why: 'owner_changed' }
  if (isAtOrAfter(now, proof.expiresAt)) return { holds: false, why: 'expired' }
  return { holds: true, proof }
}
