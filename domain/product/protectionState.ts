/** What the owner's protections add to a product's state: its alert and its proofs of ownership. */
import type { AlertStatus, ProtectionEvent } from './protectionEvents.ts'
import type { ProductState } from './state.ts'

export interface Alert {
  status: AlertStatus
  /** When the current status was reported. */
  since: string
  note?: string
  /** When the owner last heard of a scan during this report; null: not yet. */
  scanNoticeAt: string | null
}

export interface OwnershipProof {
  ownerId: string
  /** The index of the owner's period (in `owners`) when it was issued: a proof holds only within that period. */
  period: number
  issuedAt: string
  expiresAt: string
  revoked: boolean
}

export function evolveProtection(state: ProductState, event: ProtectionEvent): ProductState {
  switch (event.type) {
    case 'AlertRaised': {
      const { status, note, at } = event.data
      return { ...state, alert: { status, since: at, ...(note !== undefined ? { note } : {}), scanNoticeAt: null } }
    }
    case 'AlertCleared':
      return { ...state, alert: null }
    case 'ScannedWhileReported':
      return state.alert ? { ...state, alert: { ...state.alert, scanNoticeAt: event.data.at } } : state
    case 'OwnershipProofIssued': {
      const { proofHash, ownerId, issuedAt, expiresAt } = event.data
      return { ...state, proofs: { ...state.proofs, [proofHash]: { ownerId, period: state.owners.length - 1, issuedAt, expiresAt, revoked: false } } }
    }
    case 'OwnershipProofRevoked': {
      const proof = state.proofs[event.data.proofHash]
      return proof ? { ...state, proofs: { ...state.proofs, [event.data.proofHash]: { ...proof, revoked: true } } } : state
    }
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
