/** transactions: one per reservation, from pending payment to completed, cancelled or expired. */
import { collections, type TransactionDoc } from '../readmodels/documents.ts'
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
