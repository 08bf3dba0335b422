/**
 * A buyer whose reservation ran out, or who cancelled it, waits as long as a reservation lasts before reserving the
 * same listing again: holding a listing back by reserving it over and over is not possible.
 */
import { Conflict } from '../../errors.ts'
import type { ProductState, Transaction } from '../state.ts'

/** When a reservation lapsed by its buyer's doing; null for one that is pending, sold, or cancelled by the seller. */
const lapsedAt = (transaction: Transaction): string | null => {
  if (transaction.status === 'expired') return transaction.expiresAt
  if (transaction.status === 'cancelled' && transaction.cancelledByBuyer) return transaction.endedAt ?? null
  return null
}

/** `holdMs`: how long the reservation asked for would last. */
export function requireNoRecentLapse(state: ProductState, listingId: string, buyerId: string, now: string, holdMs: number): void {
  const until = Object.values(state.transactions)
    .filter(transaction => transaction.listingId === listingId && transaction.buyerId === buyerId)
    .map(lapsedAt)
    .reduce((latest, at) => (at === null ? latest : Math.max(latest, Date.parse(at) + holdMs)), Number.NEGATIVE_INFINITY)
  if (Date.parse(now) < until) throw new Conflict(`your reservation of this listing lapsed: you can reserve it again from ${new Date(until).toISOString()}`)
}
