import t from 'tap'
import { batchProductId, streams } from '../../domain/ids.ts'
import { login, registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp } from '../testing/specSupport.ts'
import { finished, readBatch, submit } from './testing.ts'

const { app, ctx } = await testApp(t)
const [brand, otherBrand, consumer] = await Promise.all([
  registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4006381'] }),
  registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['5901234'] }),
  registerUser(app),
])

t.test('a batch issues every item as POST /products would, and shows each product', async t => {
  const items = Array.from({ length: 40 }, (_, index) => ({ name: `Tee ${index}`, gtin: '4006381333931', serialNumber: `BATCH-A-${index}` }))
  const submitted = await submit(app, brand, items)
  t.equal(submitted.statusCode, 202)
  t.match(submitted.json(), { batchId: String, total: 40, status: 'running' })
  const batch = await finished(app, brand, submitted.json().batchId)
  t.match(batch, { status: 'completed', total: 40, done: 40, failed: [] })
  t.same(batch.products.map((product: { index: number }) => product.index), items.map((_, index) => index), 'every item, in order')
  for (const { index, productId, qrCode, qrUrl } of [batch.products[0], batch.products[39]]) {
    t.equal(productId, batchProductId(batch.batchId, index))
    t.equal(qrUrl, `${ctx.config.publicBaseUrl}/01/04006381333931/21/BATCH-A-${index}?q=${qrCode}`)
    const [created] = await ctx.eventLog.readStream(streams.product(productId))
    t.match(created, { type: 'ProductCreated', data: { brandId: brand.userId, name: `Tee ${index}`, serialNumber: `BATCH-A-${index}` } })
  }
})

t.test('a bad item is reported with what a single POST would answer, and the rest are issued', async t => {
  const existing = await newProduct(app, brand, { gtin: '4006381333931', serialNumber: 'TAKEN' })
  t.ok(existing.productId)
  const items = [
    { name: 'Good' },
    { name: 'Outside the prefixes', gtin: '5901234123457', serialNumber: 'X1' },
    { name: 'Taken elsewhere', gtin: '4006381333931', serialNumber: 'TAKEN' },
    { name: 'Twice', gtin: '4006381333931', serialNumber: 'TWICE' },
    { name: 'Twice', gtin: '4006381333931', serialNumber: 'TWICE' },
    { nom: 'unknown field' },
    { name: 'Bad check digit', gtin: '4006381333932' },
    { name: 'Not CSET 82', gtin: '4006381333931', serialNumber: 'SN 1' },
    { name: 'No such collection', collectionId: 'nope' },
    'not an object',
  ]
  const submitted = await submit(app, brand, items)
  t.equal(submitted.statusCode, 400, 'the envelope itself is validated: an item that is not an object')
  const batch = await finished(app, brand, (await submit(app, brand, items.slice(0, -1))).json().batchId)
  t.equal(batch.status, 'completed')
  t.equal(batch.done, 9)
  const failures = Object.fromEntries(batch.failed.map((failure: { index: number }) => [failure.index, failure]))
  t.match(failures[1], { status: 422, detail: /prefix/i })
  t.match(failures[2], { status: 409, detail: 'a product with this GTIN and serial number already exists' })
  t.equal([3, 4].filter(index => failures[index]?.status === 409).length, 1, 'one of two equal items is refused')
  for (const index of [5, 6, 7]) {
    const single = await call(app, 'POST', '/products', { as: brand, payload: items[index] as object })
    t.equal(single.statusCode, 400)
    t.same(failures[index], { index, status: 400, detail: single.json().detail, errors: single.json().errors }, `item ${index} as a single POST`)
  }
  t.match(failures[6], { errors: [{ path: '/body/gtin', message: 'is not a GS1 GTIN-8/12/13/14 with a valid check digit' }] })
  t.match(failures[8], { status: 422, detail: 'the collection does not exist' })
  t.same(batch.products.map((product: { index: number }) => product.index).sort(), [0, failures[3] ? 4 : 3].sort())
})

t.test('the same Idempotency-Key answers with the same batch; another brand’s key is its own', async t => {
  const items = [{ name: 'Once' }]
  const first = await submit(app, brand, items, 'order-2024-17')
  const again = await submit(app, brand, [{ name: 'Once' }, { name: 'Twice' }], 'order-2024-17')
  t.equal(first.statusCode, 202)
  t.equal(again.statusCode, 202)
  t.equal(again.json().batchId, first.json().batchId)
  t.equal(again.json().total, 1, 'the batch first submitted')
  const other = await submit(app, otherBrand, items, 'order-2024-17')
  t.not(other.json().batchId, first.json().batchId)
  const batch = await finished(app, brand, first.json().batchId)
  t.equal(batch.products.length, 1)
  const afterwards = await submit(app, brand, items, 'order-2024-17')
  t.match(afterwards.json(), { batchId: first.json().batchId, status: 'completed' })
  const created = await ctx.eventLog.readStream(streams.product(batchProductId(first.json().batchId, 1)))
  t.same(created, [], 'nothing issued for the second submission')
})

t.test('who may submit and read a batch', async t => {
  t.ok(isProblem(await call(app, 'POST', '/products/batches', { payload: { items: [{ name: 'x' }] } }), 401), 'no token')
  t.ok(isProblem(await submit(app, consumer, [{ name: 'x' }]), 403), 'not a brand')
  const pending = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: `pending-${process.pid}@example.test`, password: 'password-pending', displayName: 'P', accountType: 'brand', brandName: 'Pending Co' },
  })
  t.equal(pending.statusCode, 201)
  const pendingBrand = { ...pending.json(), token: await login(app, `pending-${process.pid}@example.test`, 'password-pending') }
  t.ok(isProblem(await submit(app, pendingBrand, [{ name: 'x' }]), 403), 'a brand not verified yet')
  const submitted = (await submit(app, brand, [{ name: 'Mine' }])).json()
  t.ok(isProblem(await readBatch(app, undefined, submitted.batchId), 401), 'GET without a token')
  t.ok(isProblem(await readBatch(app, otherBrand, submitted.batchId), 403), 'another brand’s batch')
  t.ok(isProblem(await readBatch(app, otherBrand, submitted.batchId, '/labels.pdf'), 403), 'another brand’s labels')
  t.ok(isProblem(await readBatch(app, brand, 'no-such-batch'), 404))
  t.ok(isProblem(await readBatch(app, brand, 'no-such-batch', '/labels.pdf'), 404))
  await finished(app, brand, submitted.batchId)
  t.ok(isProblem(await readBatch(app, brand, submitted.batchId, '/labels.pdf?size=a3'), 400), 'an unknown paper size')
  t.ok(isProblem(await readBatch(app, brand, submitted.batchId, '/labels.pdf?scale=2'), 400), 'an unknown parameter')
})

t.test('bad batches are refused whole', async t => {
  t.ok(isProblem(await submit(app, brand, []), 400), 'no item')
  t.ok(isProblem(await submit(app, brand, Array.from({ length: 10_001 }, () => ({ name: 'x' }))), 400), 'more than 10,000 items')
  t.ok(isProblem(await submit(app, brand, { name: 'x' }), 400), 'items not a list')
  const extra = await call(app, 'POST', '/products/batches', { as: brand, payload: { items: [{ name: 'x' }], note: 'x' } })
  t.ok(isProblem(extra, 400), 'an unknown field')
  t.ok(isProblem(await submit(app, brand, [{ name: 'x' }], 'with space'), 400), 'an Idempotency-Key that is not printable ASCII')
})
