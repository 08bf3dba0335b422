import t from 'tap'
import { collections, type ListingDoc } from '../readmodels/documents.ts'
import { ids, scenario, until } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()
const listingAfter = async (last: { position: number }, listingId: string = ids.l1) =>
  (await projected(until(events, last))).get<ListingDoc>(collections.listings, listingId)

t.test('a listing carries its product name and brand', async t => {
  t.strictSame(await listingAfter(e.l1Listed), {
    id: ids.l1,
    listingId: ids.l1,
    productId: ids.p1,
    productName: 'Camp shirt',
    brandName: 'Maison Verte',
    sellerId: ids.alice,
    price: { amount: 12000, currency: 'EUR' },
    condition: 'good',
    suggestedPrice: { amount: 10000, currency: 'EUR' },
    status: 'active',
    createdAt: e.l1Listed.data.listedAt,
    updatedAt: e.l1Listed.metadata.occurredAt,
    transactionId: null,
    position: e.l1Listed.position,
  })
})

t.test('a listing is updated, reserved, released, reserved again and sold', async t => {
  t.match(await listingAfter(e.l1Updated), { price: { amount: 11000 }, condition: 'like_new', description: 'Worn twice', status: 'active' })
  t.match(await listingAfter(e.t1Reserved), { status: 'reserved', transactionId: ids.t1 })
  t.match(await listingAfter(e.t1Expired), { status: 'active', transactionId: null })
  t.match(await listingAfter(e.t2Sold), {
    status: 'sold',
    transactionId: ids.t2,
    updatedAt: e.t2Sold.metadata.occurredAt,
    position: e.t2Sold.position,
  })
})

t.test('a withdrawn listing reads withdrawn', async t => {
  t.match(await listingAfter(e.l2Withdrawn, ids.l2), { status: 'withdrawn', brandName: 'Maison Verte', productName: 'Wide trousers' })
})

t.test('listings are found the way the query API asks', async t => {
  const store = await projected(until(events, e.t1Expired))
  const page = await store.find<ListingDoc>(collections.listings, {
    where: { status: 'active', brandName: 'Maison Verte', 'price.amount': { gte: 5000, lte: 20000 } },
    sort: '-price.amount',
    limit: 20,
  })
  t.strictSame(page.items.map(listing => listing.listingId), [ids.l1, ids.l2])
})
