import t from 'tap'
import { collections, type TransactionDoc } from '../readmodels/documents.ts'
import { ids, scenario, until } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

const pending = (reserved: typeof e.t1Reserved): TransactionDoc => ({
  id: reserved.data.transactionId,
  transactionId: reserved.data.transactionId,
  listingId: ids.l1,
  productId: ids.p1,
  buyerId: ids.bob,
  sellerId: ids.alice,
  price: { amount: 11000, currency: 'EUR' },
  status: 'pending_payment',
  createdAt: reserved.data.reservedAt,
  expiresAt: reserved.data.expiresAt,
  completedAt: null,
  cancelledAt: null,
  position: reserved.position,
})

t.test('a reservation opens a transaction pending payment', async t => {
  const store = await projected(until(events, e.t1Reserved))
  t.strictSame(await store.get(collections.transactions, ids.t1), pending(e.t1Reserved))
})

t.test('a transaction ends expired, or completed by the sale', async t => {
  const store = await projected(events)
  t.strictSame(await store.get(collections.transactions, ids.t1), {
    ...pending(e.t1Reserved),
    status: 'expired',
    cancelledAt: e.t1Expired.data.at,
    position: e.t1Expired.position,
  })
  t.strictSame(await store.get(collections.transactions, ids.t2), {
    ...pending(e.t2Reserved),
    status: 'completed',
    completedAt: e.t2Sold.data.soldAt,
    position: e.t2Sold.position,
  })
})
