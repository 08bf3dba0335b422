import t from 'tap'
import { registerUser } from '../test/testing/harness.ts'
import { call, EUR, isProblem, testApp } from './testing/specSupport.ts'

interface Route {
  method: 'POST' | 'PUT' | 'DELETE'
  url: string
  /** A body that passes validation; none for routes that take no body. */
  valid?: Record<string, unknown>
}

const routes: Route[] = [
  { method: 'POST', url: '/collections', valid: { name: 'SS25', season: 'spring' } },
  { method: 'POST', url: '/collections/C1/designs', valid: { name: 'Shirt', materials: [{ fibre: 'linen', percent: 100 }] } },
  { method: 'POST', url: '/products', valid: { name: 'Jacket', description: 'Waxed', originalPrice: EUR(100) } },
  { method: 'POST', url: '/products/P1/qr' },
  { method: 'POST', url: '/ownership/transfer', valid: { productId: 'P1', toUserId: 'U1' } },
  { method: 'POST', url: '/ownership/claim', valid: { claimCode: 'P1_secret' } },
  { method: 'PUT', url: '/ownership/P1/consent', valid: { visibility: 'public' } },
  { method: 'POST', url: '/stories', valid: { productId: 'P1', title: 'Title', body: 'Body' } },
  { method: 'PUT', url: '/stories/P1_S1', valid: { title: 'Title' } },
  { method: 'DELETE', url: '/stories/P1_S1' },
  { method: 'POST', url: '/moderation/stories/P1_S1/decision', valid: { decision: 'approve', reason: 'fine' } },
  { method: 'POST', url: '/resale/listings', valid: { productId: 'P1', price: EUR(100), condition: 'new' } },
  { method: 'PUT', url: '/resale/listings/P1_L1', valid: { price: EUR(100), description: 'Worn twice' } },
  { method: 'POST', url: '/resale/transactions', valid: { listingId: 'P1_L1' } },
  { method: 'POST', url: '/resale/transactions/P1_T1/confirm', valid: { paymentReference: 'psp-1' } },
  { method: 'POST', url: '/resale/transactions/P1_T1/cancel' },
]

const json = { 'content-type': 'application/json' }
const mapFields = (body: Record<string, unknown>, to: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(body).map(([field, value]) => [field, to(value)]))

const { app } = await testApp(t)
const user = await registerUser(app, { accountType: 'brand', roles: ['brand', 'moderator'] })

for (const { method, url, valid } of routes) {
  t.test(`${method} ${url}`, async t => {
    const send = (payload: string | object, headers = json) => call(app, method, url, { as: user, payload, headers })
    t.ok(isProblem(await send('{"name": "unfinished'), 400), 'malformed JSON')
    t.ok(isProblem(await send({ ...valid, unexpected: true }), 400), 'an unknown field')
    t.ok(isProblem(await send({ ...valid, padding: 'x'.repeat(1024 * 1024) }), 413), 'a body over 1 MB')
    t.ok(isProblem(await send('just text', { 'content-type': 'text/plain' }), 415), 'not JSON at all')
    if (!valid) return
    t.ok(isProblem(await send(mapFields(valid, () => ({ wrong: 'type' }))), 400), 'objects where values belong')
    t.ok(isProblem(await send([valid]), 400), 'an array for an object')
    t.ok(isProblem(await send(mapFields(valid, value => (typeof value === 'string' ? 12345 : value))), 400), 'numbers where strings belong')
    t.ok(isProblem(await send(mapFields(valid, value => (typeof value === 'string' ? 'x'.repeat(20_000) : value))), 400), 'over-long strings')
  })
}

t.test('POST /media', async t => {
  const send = (payload: string, contentType: string) => call(app, 'POST', '/media', { as: user, payload, headers: { 'content-type': contentType } })
  const part = '--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc'
  t.ok(isProblem(await send('{"file": ', 'application/json'), 400), 'malformed JSON')
  t.ok(isProblem(await send('{"file": "x"}', 'application/json'), 415), 'JSON instead of multipart')
  t.ok(isProblem(await send(part, 'multipart/form-data; boundary=B'), 400), 'a truncated multipart body')
  t.ok(isProblem(await send(`${part}\r\n--B--\r\n`, 'multipart/form-data'), 400), 'multipart without a boundary')
  t.ok(isProblem(await send('raw', 'image/png'), 415), 'a raw image body')
})
