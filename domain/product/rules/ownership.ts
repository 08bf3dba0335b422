import { Forbidden, RuleViolated } from '../../errors.ts'
import type { ChangeConsent, ClaimProduct, IssueClaimCode, TransferOwnership } from '../commands.ts'
import type { ClaimCodeIssued, ConsentChanged, OwnershipTransferred } from '../events.ts'
import { visibilityOf } from '../consent.ts'
import type { ProductState } from '../state.ts'
import { requireNotReported, requireOwnerMayHandOver } from './alert.ts'
import { isAtOrAfter, requireAlive, requireNotListed, requireProduct, requireTime } from './guards.ts'

export const transferOwnership = ({ data, metadata }: TransferOwnership, state: ProductState): [OwnershipTransferred] => {
  requireOwnerMayHandOver(state, metadata.actorId, 'transfer the product')
  if (data.toUserId === metadata.actorId) throw new RuleViolated('the product cannot be transferred to its current owner')
  return [
    {
      type: 'OwnershipTransferred',
      data: { productId: data.productId, fromUserId: metadata.actorId, toUserId: data.toUserId, via: 'transfer', at: metadata.now },
    },
  ]
}

export const issueClaimCode = ({ data, metadata }: IssueClaimCode, state: ProductState): [ClaimCodeIssued] => {
  requireOwnerMayHandOver(state, metadata.actorId, 'issue a claim code')
  requireTime(data.expiresAt, 'expiresAt')
  if (isAtOrAfter(metadata.now, data.expiresAt)) throw new RuleViolated('a claim code must expire in the future')
  return [
    {
      type: 'ClaimCodeIssued',
      data: { productId: data.productId, claimCodeHash: data.claimCodeHash, issuedBy: metadata.actorId, expiresAt: data.expiresAt },
    },
  ]
}

export const claimProduct = ({ data, metadata }: ClaimProduct, state: ProductState): [OwnershipTransferred] => {
  requireProduct(state)
  requireAlive(state)
  if (state.ownerId === metadata.actorId) throw new RuleViolated('the current owner cannot claim the product')
  if (state.usedClaimCodes.includes(data.claimCodeHash)) throw new RuleViolated('claim code already used')
  if (state.claimCode?.hash !== data.claimCodeHash) throw new RuleViolated('no such claim code')
  if (isAtOrAfter(metadata.now, state.claimCode.expiresAt)) throw new RuleViolated('claim code expired')
  requireNotListed(state)
  requireNotReported(state)
  return [
    {
      type: 'OwnershipTransferred',
      data: { productId: data.productId, fromUserId: state.ownerId, toUserId: metadata.actorId, via: 'claim', at: metadata.now },
    },
  ]
}

export const changeConsent = ({ data, metadata }: ChangeConsent, state: ProductState): ConsentChanged[] => {
  requireProduct(state)
  if (!state.owners.some(period => period.ownerId === metadata.actorId))
    throw new Forbidden('only a current or past owner can change consent')
  if (visibilityOf(state, metadata.actorId) === data.visibility) return []
  return [{ type: 'ConsentChanged', data: { productId: data.productId, ownerId: metadata.actorId, visibility: data.visibility } }]
}
