import t from 'tap'
import { buildTestApp, registerUser } from '../test/testing/harness.ts'
import { appendProductEvents } from './testing/app.ts'

const test = await buildTestApp({ config: { minPositionWaitMs: 300 } })
t.teardown(() => test.close())
const { app, ctx } = test
const brand = await registerUser(app, { accountType: 'brand', displayName: 'Atelier' })

t.test('a read with x-min-position sees the write that gave that position', async t => {
  for (let i = 0; i < 5; i++) {
    const productId = ctx.newId()
    const at = new Date().toISOString()
    const position = await appendProductEvents(ctx, productId, [
      { actorId: brand.userId, at, event: { type: 'ProductCreated', data: { productId, brandId: brand.userId, brandName: 'Atelier', name: `Coat ${i}`, serialNumber: `S${i}`, createdAt: at } } },
    ])
    const response = await app.inject({ method: 'GET', url: `/api/ownership/${productId}/history`, headers: { 'x-min-position': String(position) } })
    t.equal(response.statusCode, 200, `write ${i}`)
  }
})

t.test('the wait is bounded: a position never reached still gets an answer', async t => {
  const started = Date.now()
  const response = await app.inject({ method: 'GET', url: '/api/collections', headers: { 'x-min-position': '999999999' } })
  t.equal(response.statusCode, 200)
  t.ok(Date.now() - started >= 250, 'after waiting about minPositionWaitMs')
})

t.test('a malformed x-min-position is a 400, on every read', async t => {
  for (const [url, value] of [['/api/collections', 'abc'], ['/api/resale/listings', '-1'], ['/api/products/x/history', '1.5'], ['/p/code', '']] as const) {
    const response = await app.inject({ method: 'GET', url, headers: { 'x-min-position': value } })
    t.equal(response.statusCode, 400, `${url} ${value}`)
    t.match(response.json(), { errors: [{ path: '/headers/x-min-position' }] })
  }
})
