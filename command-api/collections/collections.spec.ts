import t from 'tap'
import { registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, testApp } from '../testing/specSupport.ts'

const { app } = await testApp(t)
const [brand, otherBrand, consumer] = await Promise.all([
  registerUser(app, { accountType: 'brand' }),
  registerUser(app, { accountType: 'brand' }),
  registerUser(app),
])

const newCollection = async () => (await call(app, 'POST', '/collections', { as: brand, payload: { name: 'SS25' } })).json().collectionId as string

t.test('POST /collections', async t => {
  const created = await call(app, 'POST', '/collections', { as: brand, payload: { name: 'SS25', season: 'spring', description: 'Linen' } })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { collectionId: String, name: 'SS25', season: 'spring', brandId: brand.userId, brandName: String, position: /^\d+$/ })

  t.ok(isProblem(await call(app, 'POST', '/collections', { as: consumer, payload: { name: 'x' } }), 403), 'a consumer is refused')
  t.ok(isProblem(await call(app, 'POST', '/collections', { payload: { name: 'x' } }), 401), 'a token is required')
  t.ok(isProblem(await call(app, 'POST', '/collections', { as: brand, payload: { name: '' } }), 400), 'a name is required')
})

t.test('POST /collections/{collectionId}/designs', async t => {
  const collectionId = await newCollection()
  const materials = [{ fibre: 'linen', percent: 55.5 }, { fibre: 'cotton', percent: 44.5 }]
  const added = await call(app, 'POST', `/collections/${collectionId}/designs`, { as: brand, payload: { name: 'Shirt', materials } })
  t.equal(added.statusCode, 201)
  t.match(added.json(), { collectionId, designId: String, name: 'Shirt', materials, position: /^\d+$/ })

  const design = { name: 'Dress' }
  t.ok(isProblem(await call(app, 'POST', `/collections/${collectionId}/designs`, { as: otherBrand, payload: design }), 403), "another brand's collection")
  t.ok(isProblem(await call(app, 'POST', `/collections/${collectionId}/designs`, { as: consumer, payload: design }), 403), 'a consumer')
  t.ok(isProblem(await call(app, 'POST', '/collections/01UNKNOWN/designs', { as: brand, payload: design }), 404), 'an unknown collection')
  const badMaterials = { name: 'Dress', materials: [{ fibre: 'silk', percent: 60 }] }
  t.ok(isProblem(await call(app, 'POST', `/collections/${collectionId}/designs`, { as: brand, payload: badMaterials }), 422), 'materials must add up to 100')
})
