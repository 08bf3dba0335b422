import t from 'tap'
import { findAll } from '../readmodels/findAll.ts'
import { streams } from '../domain/ids.ts'
import { collections, OWNER_PERIODS_PER_DOC, ownerPeriodsId, type OwnerPeriodsDoc, type ProductDoc } from '../readmodels/documents.ts'
import { History } from './testing/history.ts'
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

t.test('the periods of ownership are kept apart from the product, each closed by the next transfer', async t => {
  const at = (event: { data: { at: string } }) => event.data.at
  const store = await projected(until(events, e.backToAlice))
  const chunks = await findAll<OwnerPeriodsDoc>(store, collections.ownerPeriods, { where: { productId: ids.p1 }, sort: 'chunk' })
  t.strictSame(chunks, [
    {
      id: ownerPeriodsId(ids.p1, 0),
      productId: ids.p1,
      chunk: 0,
      periods: [
        { userId: ids.brand, from: e.p1Created.data.createdAt, to: at(e.claimedByAlice), via: 'creation' },
        { userId: ids.alice, from: at(e.claimedByAlice), to: at(e.soldToBob), via: 'claim' },
        { userId: ids.bob, from: at(e.soldToBob), to: at(e.backToAlice), via: 'resale' },
        { userId: ids.alice, from: at(e.backToAlice), to: null, via: 'transfer' },
      ],
      position: e.backToAlice.position,
    },
  ])
})

t.test('a long history fills one document of periods after another', async t => {
  const h = new History()
  const productId = 'p-long'
  const stream = streams.product(productId)
  h.add(stream, 'ProductCreated', now => ({ productId, brandId: 'brand', brandName: 'Brand', name: 'Coat', serialNumber: 'SN', createdAt: now }))
  const owners = Array.from({ length: OWNER_PERIODS_PER_DOC + 2 }, (_, i) => `owner-${i}`)
  owners.forEach((toUserId, i) =>
    h.add(stream, 'OwnershipTransferred', now => ({ productId, fromUserId: i === 0 ? 'brand' : owners[i - 1]!, toUserId, via: 'transfer', at: now })),
  )
  const store = await projected(h.events)
  const chunks = await findAll<OwnerPeriodsDoc>(store, collections.ownerPeriods, { where: { productId }, sort: 'chunk' })
  t.strictSame(chunks.map(({ chunk, periods }) => [chunk, periods.length]), [[0, OWNER_PERIODS_PER_DOC], [1, 3]])
  const periods = chunks.flatMap(({ periods }) => periods)
  t.strictSame(periods.map(({ userId }) => userId), ['brand', ...owners])
  t.ok(periods.slice(0, -1).every((period, i) => period.to === periods[i + 1]!.from), 'each period ends where the next begins')
  t.equal(periods.at(-1)!.to, null)
  t.equal((await store.get<ProductDoc>(collections.products, productId))?.ownerPeriods, owners.length + 1)
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
