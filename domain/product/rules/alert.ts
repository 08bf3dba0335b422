/**
 * Lost and stolen: the current owner reports the product, the owner or an admin clears the report. While it is
 * reported, the product cannot change hands (transfer, claim, listing, purchase), and its owner hears of scans.
 */
import { Conflict, Forbidden } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { NoteScan, SetAlert } from '../protectionCommands.ts'
import type { AlertCleared, AlertRaised, ScannedWhileReported } from '../protectionEvents.ts'
import type { ProductState } from '../state.ts'
import { hasRole, isAtOrAfter, requireAlive, requireNotListed, requireOwner, requireProduct } from './guards.ts'

/** The owner hears of scans of a reported product at most this often. */
export const SCAN_NOTICE_INTERVAL_MS = 60 * 60_000

export const requireNotReported = (state: ProductState): void => {
  if (state.alert) throw new Conflict(`the product is reported ${state.alert.status}`)
}

/** The owner may let the product go (transfer, claim code, listing): it exists, is theirs, alive, not on sale, not reported. */
export const requireOwnerMayHandOver = (state: ProductState, actorId: string, action: string): void => {
  requireProduct(state)
  requireOwner(state, actorId, action)
  requireAlive(state)
  requireNotListed(state)
  requireNotReported(state)
}

export const setAlert = ({ data, metadata }: SetAlert, state: ProductState): (AlertRaised | AlertCleared)[] => {
  requireProduct(state)
  const { productId, status, note } = data
  if (status === 'none') {
    if (state.ownerId !== metadata.actorId && !hasRole(metadata.roles, 'admin'))
      throw new Forbidden('only the current owner or an admin can clear an alert')
    return state.alert ? [{ type: 'AlertCleared', data: { productId, clearedBy: metadata.actorId, at: metadata.now } }] : []
  }
  requireOwner(state, metadata.actorId, 'report the product lost or stolen')
  if (state.alert?.status === status && state.alert.note === note) return []
  return [{ type: 'AlertRaised', data: defined({ productId, status, note, reportedBy: metadata.actorId, at: metadata.now }) }]
}

/** A scan of a reported product is noted for its owner, unless one was within the hour. */
export const noteScan = ({ data, metadata }: NoteScan, state: ProductState): ScannedWhileReported[] => {
  requireProduct(state)
  const noticeAt = state.alert?.scanNoticeAt
  if (!state.alert || (noticeAt && !isAtOrAfter(metadata.now, new Date(Date.parse(noticeAt) + SCAN_NOTICE_INTERVAL_MS).toISOString()))) return []
  return [{ type: 'ScannedWhileReported', data: { productId: data.productId, ownerId: state.ownerId, at: metadata.now } }]
}
