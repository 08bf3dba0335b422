import t from 'tap'
import { findAll } from '../readmodels/findAll.ts'
import { collections, ownerPeriodId, type OwnerPeriodDoc, type ProductDoc } from './documents.ts'
import { projected } from './testing/store.ts'
import { ids, scenario, until } from './testing/scenario.ts'

const { events, e } = scenario()
const productAfter = async (last: { position: number }) =>
  (await projected(until(events, last))).get<ProductDoc>(collections.products, ids.p1)

t.test('a product follows its whole life, revision and position included', async t => {
  const at = (event: { data: { at: string } }) => event.data.at
  t.strictSame(await productAfter(e.backToAlice), {
    id: ids.p1,
    productId: ids.p1,
    revision: e.backToAlice.revision,
    name: 'Camp shirt',
    description: 'Washed linen',
    brand: { brandId: ids.brand, name: 'Maison Verte' },
    collectionId: ids.collection,
    designId: ids.design,
    gtin: '4006381333931',
    serialNumber: 'SN-001',
    materials: [{ fibre: 'linen', percent: 100 }],
    madeIn: 'PT',
    originalPrice: { amount: 12900, currency: 'EUR' },
    createdAt: e.p1Created.data.createdAt,
    updatedAt: e.backToAlice.metadata.occurredAt,
    qr: { code: 'qr-p1-b', url: e.p1QrReissued.data.qrUrl, issuedAt: e.p1QrReissued.data.issuedAt },
    ownerId: ids.alice,
    ownerVisibility: { [ids.brand]: 'public', [ids.alice]: 'anonymous', [ids.bob]: 'public' },
    ownerCount: 3,
    ownerPeriods: 4,
    publishedStoryIds: [ids.s3],
    storiesCount: 1,
    activeListing: null,
    position: e.backToAlice.position,
  })
})

t.test('each period of ownership is a document of its own, closed by the next transfer', async t => {
  const at = (event: { data: { at: string } }) => event.data.at
  const store = await projected(until(events, e.backToAlice))
  const periods = await findAll<OwnerPeriodDoc>(store, collections.ownerPeriods, { where: { productId: ids.p1 }, sort: 'index' })
  const period = (index: number, userId: string, from: string, to: string | null, via: string, position: number) =>
    ({ id: ownerPeriodId(ids.p1, index), productId: ids.p1, index, userId, from, to, via, position })
  t.strictSame(periods, [
    period(0, ids.brand, e.p1Created.data.createdAt, at(e.claimedByAlice), 'creation', e.claimedByAlice.position),
    period(1, ids.alice, at(e.claimedByAlice), at(e.soldToBob), 'claim', e.soldToBob.position),
    period(2, ids.bob, at(e.soldToBob), at(e.backToAlice), 'resale', e.backToAlice.position),
    period(3, ids.alice, at(e.backToAlice), null, 'transfer', e.backToAlice.position),
  ])
})

t.test('revision follows events that change nothing shown', async t => {
  const doc = await productAfter(e.claimCodeIssued)
  t.equal(doc?.revision, e.claimCodeIssued.revision)
  t.equal(doc?.updatedAt, e.claimCodeIssued.metadata.occurredAt)
})

t.test('qr is null until the code is issued', async t => {
  t.equal((await productAfter(e.p1Created))?.qr, null)
  t.equal((await productAfter(e.p1QrRevoked))?.qr?.code, 'qr-p1-a', 'a revoked code stays until its replacement')
})

t.test('storiesCount counts the stories published now', async t => {
  const counts = []
  for (const last of [e.s1Submitted, e.s1Approved, e.s2Submitted, e.s1Edited, e.s1Rejected, e.s3Submitted, e.s2Deleted])
    counts.push((await productAfter(last))?.storiesCount)
  t.strictSame(counts, [0, 1, 2, 1, 1, 2, 1])
})

t.test('activeListing summarises the open listing', async t => {
  const listing = { listingId: ids.l1, price: { amount: 12000, currency: 'EUR' }, condition: 'good' }
  t.strictSame((await productAfter(e.l1Listed))?.activeListing, { ...listing, status: 'active' })
  const updated = { ...listing, price: { amount: 11000, currency: 'EUR' }, condition: 'like_new' }
  t.strictSame((await productAfter(e.l1Updated))?.activeListing, { ...updated, status: 'active' })
  t.strictSame((await productAfter(e.t1Reserved))?.activeListing, { ...updated, status: 'reserved' })
  t.strictSame((await productAfter(e.t1Expired))?.activeListing, { ...updated, status: 'active' })
  t.strictSame((await productAfter(e.t2Sold))?.activeListing, null)
  const p2 = await (await projected(events)).get<ProductDoc>(collections.products, ids.p2)
  t.equal(p2?.activeListing, null, 'a withdrawn listing is closed')
})
