import t from 'tap'
import { streams } from '../../domain/ids.ts'
import { buildTestApp, registerUser } from '../../test/testing/harness.ts'

const test = await buildTestApp()
t.teardown(() => test.close())
const { app, ctx } = test
const brand = await registerUser(app, { accountType: 'brand', displayName: 'Atelier' })
const other = await registerUser(app, { accountType: 'brand', displayName: 'Other' })

const create = async (brandId: string, name: string, createdAt: string) => {
  const collectionId = ctx.newId()
  const metadata = () => ({ eventId: ctx.newId(), occurredAt: createdAt, actorId: brandId, correlationId: 'c', causationId: 'c', schemaVersion: 1 })
  const { position } = await ctx.eventLog.append(streams.collection(collectionId), [
    { type: 'CollectionCreated', data: { collectionId, brandId, brandName: 'Atelier', name, season: 'SS25', createdAt }, metadata: metadata() },
    { type: 'DesignAdded', data: { collectionId, designId: 'd1', name: 'Camp shirt', materials: [{ fibre: 'linen', percent: 100 }], addedAt: createdAt }, metadata: metadata() },
  ])
  await ctx.waitForPosition(position, 5000)
  return collectionId
}
const older = await create(brand.userId, 'Winter', '2024-01-01T00:00:00.000Z')
const newer = await create(brand.userId, 'Summer', '2024-06-01T00:00:00.000Z')
const theirs = await create(other.userId, 'Elsewhere', '2024-03-01T00:00:00.000Z')
const ids = (body: { items: { collectionId: string }[] }) => body.items.map(item => item.collectionId)

t.test('every collection, newest first, paged', async t => {
  const all = (await app.inject({ method: 'GET', url: '/api/collections' })).json()
  t.same(ids(all), [newer, theirs, older])
  t.equal(all.nextCursor, null)
  const first = (await app.inject({ method: 'GET', url: '/api/collections?limit=2' })).json()
  t.same(ids(first), [newer, theirs])
  t.same(ids((await app.inject({ method: 'GET', url: `/api/collections?limit=2&cursor=${first.nextCursor}` })).json()), [older])
  t.same(ids((await app.inject({ method: 'GET', url: `/api/collections?brandId=${other.userId}` })).json()), [theirs])
})

t.test('one collection with its designs', async t => {
  const response = await app.inject({ method: 'GET', url: `/api/collections/${older}` })
  t.equal(response.statusCode, 200)
  t.same(response.json(), {
    collectionId: older,
    brandId: brand.userId,
    brandName: 'Atelier',
    name: 'Winter',
    season: 'SS25',
    designs: [{ designId: 'd1', name: 'Camp shirt', materials: [{ fibre: 'linen', percent: 100 }] }],
    createdAt: '2024-01-01T00:00:00.000Z',
  })
  t.equal((await app.inject({ method: 'GET', url: '/api/collections/unknown' })).statusCode, 404)
})
