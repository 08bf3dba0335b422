/**
 * A jacket's life after sale, walked over real HTTP against `npm start` with WEBHOOKS_ALLOW_PRIVATE=true: the brand
 * and a repairer register webhooks to a receiver on 127.0.0.1, a repairer's key writes a repair, the owner accepts,
 * the public page shows it, and the receiver verifies each delivery's signature with the Standard Webhooks library.
 */
import t from 'tap'
import { eventually, expectStatus, type Person } from './testing/client.ts'
import { logInAsAdmin, signUp } from './testing/people.ts'
import { closeWalk, openWalk } from './testing/walk.ts'
import { startReceiver, verified } from '../testing/webhookReceiver.ts'

const walk = await openWalk(t, { WEBHOOKS_ALLOW_PRIVATE: 'true' })
const { api } = walk

let brand: Person, owner: Person, repairer: Person
let jacket: { productId: string; qrCode: string; qrUrl: string }

t.test('a brand, an owner and a repairer the admin made one', async t => {
  brand = await signUp(t, api, { displayName: 'Ines', brandName: 'Maison Verte' })
  owner = await signUp(t, api, { displayName: 'Alice' })
  repairer = await signUp(t, api, { displayName: 'Zip Clinic' })
  const admin = await logInAsAdmin(t, api)
  await api.call(t, `PUT /api/admin/users/${repairer.userId}/roles`, { as: admin, body: { roles: ['consumer', 'repairer'] } })
})

t.test('a repair written by key, accepted by the owner, on the page and at both webhooks, signed', async t => {
  const [toBrand, toRepairer] = await Promise.all([startReceiver(t, '/brand'), startReceiver(t, '/repairer')])
  const brandHook = await api.call(t, 'POST /api/webhooks', { as: brand, body: { url: toBrand.url, events: ['product.transferred', 'lifecycle.*'] } }, 201)
  t.match(brandHook.secret, /^whsec_/)
  const { apiKey } = await api.call(t, 'POST /api/partners/keys', { as: repairer, body: { name: 'workshop', scopes: ['lifecycle:write', 'webhooks'] } }, 201)
  const repairerHook = await api.call(t, 'POST /api/webhooks', { headers: { 'x-api-key': apiKey }, body: { url: toRepairer.url, events: ['lifecycle.accepted'] } }, 201)

  jacket = await api.call(t, 'POST /api/products', { as: brand, body: { name: 'Waxed field jacket' } }, 201)
  await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: jacket.productId, toUserId: owner.userId } })
  const written = await api.call(t, `POST /api/products/${jacket.productId}/lifecycle`, { headers: { 'x-api-key': apiKey }, body: { type: 'repair', description: 'Replaced the broken zip' } }, 201)
  t.match(written, { lifecycleId: String, status: 'pending_owner' })
  await api.call(t, `POST /api/products/${jacket.productId}/lifecycle/${written.lifecycleId}/decision`, { as: owner, body: { decision: 'accept' } })

  const page = await api.send(`GET ${new URL(jacket.qrUrl).pathname}`, { headers: { accept: 'text/html' } })
  expectStatus(t, page, 200)
  t.match(page.text, 'Replaced the broken zip', 'the public page shows the repair')

  const toBrandBodies = (await toBrand.waitFor(3)).map(request => verified(brandHook.secret, request) as { type: string; data: { productId: string } })
  t.same(toBrandBodies.map(body => body.type), ['product.transferred', 'lifecycle.recorded', 'lifecycle.accepted'], 'the brand’s receiver verified each signature')
  t.ok(toBrandBodies.every(body => body.data.productId === jacket.productId))
  const [accepted] = await toRepairer.waitFor(1)
  t.match(verified(repairerHook.secret, accepted!), { type: 'lifecycle.accepted', data: { productId: jacket.productId, lifecycleId: written.lifecycleId, partnerId: repairer.userId } })
  t.throws(() => verified(brandHook.secret, accepted!), 'another webhook’s secret does not verify it')

  const deliveries = await eventually(
    () => api.send(`GET /api/webhooks/${brandHook.webhookId}/deliveries`, { as: brand }),
    reply => reply.json?.items?.every((item: { status: string }) => item.status === 'delivered'),
  )
  t.match(deliveries.json.items, [
    { eventType: 'lifecycle.accepted', status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null },
    { eventType: 'lifecycle.recorded', status: 'delivered' },
    { eventType: 'product.transferred', status: 'delivered' },
  ])
  t.same((await api.call(t, 'GET /api/webhooks', { as: brand })).items.map((hook: { webhookId: string }) => hook.webhookId), [brandHook.webhookId])
  await api.call(t, `DELETE /api/webhooks/${brandHook.webhookId}`, { as: brand }, 204)
  await api.refused(t, `GET /api/webhooks/${brandHook.webhookId}/deliveries`, { as: brand }, 404)
})

closeWalk(t, walk)
