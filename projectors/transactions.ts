/** transactions: one per reservation, from pending payment to completed, cancelled or expired. */
import { collections, type TransactionDoc } from '../readmodels/documents.ts'
import { findAll } from '../readmodels/findAll.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { defineProjection } from './projection.ts'
import { create, patch } from './write.ts'

export const transactionsProjection = defineProjection({
  name: 'transactions',
  collections: [{ name: collections.transactions, indexes: [['buyerId', 'createdAt'], ['sellerId', 'createdAt'], ['status', 'expiresAt']] }],
  on: {
    ListingReserved: (event, store) => {
      const { transactionId, listingId, productId, buyerId, sellerId, price, reservedAt, expiresAt } = event.data
      return create<TransactionDoc>(store, collections.transactions, event, {
        id: transactionId,
        transactionId,
        listingId,
        productId,
        buyerId,
        sellerId,
        price,
        status: 'pending_payment',
        createdAt: reservedAt,
        expiresAt,
        completedAt: null,
        cancelledAt: null,
      })
    },
    ProductSold: (event, store) =>
      patch<TransactionDoc>(store, collections.transactions, event.data.transactionId, event, () => ({
        status: 'completed',
        completedAt: event.data.soldAt,
      })),
    ReservationCancelled: (event, store) =>
      patch<TransactionDoc>(store, collections.transactions, event.data.transactionId, event, () => ({
        status: event.data.reason,
        cancelledAt: event.data.at,
      })),
  },
})

/** The reservations pending payment, and the position this projection has applied: its checkpoint, read first. */
export async function openReservations(store: ReadModelStore) {
  const after = await store.getCheckpoint(transactionsProjection.name)
  const pending = await findAll<TransactionDoc>(store, collections.transactions, { where: { status: 'pending_payment' } })
  return { after, pending: pending.map(({ productId, transactionId, expiresAt }) => ({ productId, transactionId, expiresAt })) }
}
