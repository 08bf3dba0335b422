/** The webhook routes of both sides, and deliveries driven from the log, on the embedded app. */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, registerUser, type TestUser } from '../../test/testing/harness.ts'
import { startReceiver, verified } from '../../test/testing/webhookReceiver.ts'
import { call, isProblem, newProduct, testApp } from '../testing/specSupport.ts'
import { cast, newKey, withKey } from '../testing/partners.ts'

const PUBLIC_URL = 'https://93.184.215.14/ptvem'

const get = (app: FastifyInstance, url: string, as?: TestUser, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: `/api${url}`, headers: { ...(as && bearer(as.token)), ...headers } })

t.test('registering, listing and deleting, with every refusal', async t => {
  const { app } = await testApp(t)
  const { brand, owner, repairer, authority } = await cast(app)
  const register = (payload: object, as?: TestUser, headers?: Record<string, string>) => call(app, 'POST', '/webhooks', { as, payload, headers })

  const created = await register({ url: PUBLIC_URL, events: ['product.transferred', 'lifecycle.*'] }, brand)
  t.equal(created.statusCode, 201)
  const { webhookId, secret } = created.json()
  t.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a Standard Webhooks secret of 32 bytes')
  t.match(created.json(), { webhookId: String, url: PUBLIC_URL, events: ['product.transferred', 'lifecycle.*'], createdAt: String })

  const { apiKey } = await newKey(app, repairer, ['webhooks'])
  const byKey = await register({ url: 'http://93.184.215.14:8080/hooks', events: ['product.sold'] }, undefined, withKey(apiKey).headers)
  t.equal(byKey.statusCode, 201, 'a partner’s key with the webhooks scope')
  t.equal((await register({ url: PUBLIC_URL, events: ['product.alert'] }, authority)).statusCode, 201, 'an authority')

  const listed = await get(app, '/webhooks', brand)
  t.equal(listed.statusCode, 200)
  t.same(listed.json().items, [{ webhookId, url: PUBLIC_URL, events: ['product.transferred', 'lifecycle.*'], createdAt: created.json().createdAt }], 'the owner’s only, never the secret')
  t.same((await get(app, '/webhooks', undefined, withKey(apiKey).headers)).json().items.map((each: { url: string }) => each.url), ['http://93.184.215.14:8080/hooks'])

  t.test('who may not', async t => {
    const { apiKey: lifecycleKey } = await newKey(app, repairer, ['lifecycle:write'])
    t.ok(isProblem(await register({ url: PUBLIC_URL, events: ['product.sold'] }), 401), 'nobody')
    t.ok(isProblem(await register({ url: PUBLIC_URL, events: ['product.sold'] }, owner), 403), 'a consumer')
    t.ok(isProblem(await register({ url: PUBLIC_URL, events: ['product.sold'] }, undefined, withKey(lifecycleKey).headers), 403), 'a key without the scope')
    t.ok(isProblem(await get(app, '/webhooks', owner), 403))
    t.ok(isProblem(await get(app, '/webhooks'), 401))
    t.ok(isProblem(await call(app, 'DELETE', `/webhooks/${webhookId}`, { as: repairer }), 403), 'someone else’s webhook')
    t.ok(isProblem(await get(app, `/webhooks/${webhookId}/deliveries`, repairer), 403))
    t.ok(isProblem(await call(app, 'DELETE', '/webhooks/no-such-webhook', { as: brand }), 404))
    t.ok(isProblem(await get(app, '/webhooks/no-such-webhook/deliveries', brand), 404))
  })

  t.test('bad input is a 400 naming the field', async t => {
    const bad = [
      { url: 'ftp://93.184.215.14/x', events: ['product.sold'] },
      { url: 'not a url', events: ['product.sold'] },
      { url: PUBLIC_URL, events: [] },
      { url: PUBLIC_URL, events: ['product.exploded'] },
      { url: PUBLIC_URL, events: ['*'] },
      { url: PUBLIC_URL, events: ['product.sold', 'product.sold'] },
      { url: PUBLIC_URL },
      { url: PUBLIC_URL, events: ['product.sold'], secret: 'mine' },
    ]
    for (const payload of bad) {
      const refused = await register(payload, brand)
      t.ok(isProblem(refused, 400), JSON.stringify(payload))
      t.match(refused.json().errors, [{ path: String, message: String }])
    }
    t.ok(isProblem(await get(app, `/webhooks/${webhookId}/deliveries?limit=0`, brand), 400))
    t.ok(isProblem(await get(app, `/webhooks/${webhookId}/deliveries?since=1`, brand), 400))
  })

  t.test('a URL reaching an inner address is a 422', async t => {
    for (const url of ['http://127.0.0.1:3000/hook', 'http://localhost/hook', 'http://10.0.0.7/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook', 'http://[fd00::1]/hook', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::ffff:192.168.0.1]/']) {
      const refused = await register({ url, events: ['product.sold'] }, brand)
      t.ok(isProblem(refused, 422), url)
      t.match(refused.json().detail, /not a public address|does not resolve/)
    }
    t.ok(isProblem(await register({ url: 'http://nothing.invalid/hook', events: ['product.sold'] }, brand), 422), 'a host that does not resolve')
  })

  t.test('the owner deletes it; it is gone at once', async t => {
    t.equal((await call(app, 'DELETE', `/webhooks/${webhookId}`, { as: brand })).statusCode, 204)
    t.same((await get(app, '/webhooks', brand)).json().items, [])
    t.ok(isProblem(await call(app, 'DELETE', `/webhooks/${webhookId}`, { as: brand }), 404))
    t.ok(isProblem(await get(app, `/webhooks/${webhookId}/deliveries`, brand), 404))
  })
})

t.test('deliveries from the log: a brand gets its products’ events, a partner those of products it has records on', async t => {
  const { app } = await testApp(t, { config: { webhooks: { allowPrivate: true, timeoutMs: 2_000, concurrency: 4 } } })
  const { brand, owner, repairer, reseller } = await cast(app)
  const rival = await registerUser(app, { accountType: 'brand' })
  const [brandHook, repairerHook, resellerHook, rivalHook] = await Promise.all([startReceiver(t, '/brand'), startReceiver(t, '/repairer'), startReceiver(t, '/reseller'), startReceiver(t, '/rival')])
  const hook = async (as: TestUser, url: string, events: string[]) => {
    const response = await call(app, 'POST', '/webhooks', { as, payload: { url, events } })
    t.equal(response.statusCode, 201)
    return response.json() as { webhookId: string; secret: string }
  }
  const before = await newProduct(app, brand)
  const brands = await hook(brand, brandHook.url, ['product.*', 'lifecycle.accepted'])
  const repairers = await hook(repairer, repairerHook.url, ['lifecycle.*', 'product.transferred'])
  await hook(reseller, resellerHook.url, ['product.*', 'lifecycle.*'])
  await hook(rival, rivalHook.url, ['product.*', 'lifecycle.*'])

  const { productId } = await newProduct(app, brand)
  await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId, toUserId: owner.userId } })
  const written = await call(app, 'POST', `/products/${productId}/lifecycle`, { as: repairer, payload: { type: 'repair', description: 'New zip' } })
  const { lifecycleId } = written.json()
  await call(app, 'POST', `/products/${productId}/lifecycle/${lifecycleId}/decision`, { as: owner, payload: { decision: 'accept' } })
  await call(app, 'POST', '/ownership/transfer', { as: owner, payload: { productId: before.productId, toUserId: owner.userId } })

  const bodies = (received: { headers: object; body: string }[], secret: string) =>
    received.map(request => verified(secret, request as never) as { type: string; data: { productId: string } })
  const toBrand = bodies(await brandHook.waitFor(3), brands.secret)
  t.same(toBrand.map(each => each.type), ['product.created', 'product.transferred', 'lifecycle.accepted'], 'in log order; nothing from before it registered')
  t.ok(toBrand.every(each => each.data.productId === productId))
  t.match(toBrand[2], { type: 'lifecycle.accepted', timestamp: String, data: { productId, lifecycleId, type: 'repair', partnerId: repairer.userId } })
  const toRepairer = bodies(await repairerHook.waitFor(2), repairers.secret)
  t.same(toRepairer.map(each => each.type), ['lifecycle.recorded', 'lifecycle.accepted'], 'from its first record on, what it subscribed to')

  // The receiver has the request a moment before its answer is recorded.
  let deliveries = await get(app, `/webhooks/${brands.webhookId}/deliveries`, brand)
  for (let tries = 0; tries < 50 && deliveries.json().items.some((each: { status: string }) => each.status !== 'delivered'); tries++) {
    await new Promise(resolve => setTimeout(resolve, 100))
    deliveries = await get(app, `/webhooks/${brands.webhookId}/deliveries`, brand)
  }
  t.equal(deliveries.statusCode, 200)
  t.match(deliveries.json(), {
    items: [
      { deliveryId: brandHook.received[2]!.headers['webhook-id'], eventType: 'lifecycle.accepted', status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null },
      { eventType: 'product.transferred', status: 'delivered' },
      { eventType: 'product.created', status: 'delivered' },
    ],
    nextCursor: null,
  })
  const firstPage = (await get(app, `/webhooks/${brands.webhookId}/deliveries?limit=2`, brand)).json()
  t.equal(firstPage.items.length, 2)
  t.same((await get(app, `/webhooks/${brands.webhookId}/deliveries?limit=2&cursor=${firstPage.nextCursor}`, brand)).json().items.map((each: { eventType: string }) => each.eventType), ['product.created'])

  await new Promise(resolve => setTimeout(resolve, 300))
  t.equal(resellerHook.received.length, 0, 'a partner with no record on the product gets nothing')
  t.equal(rivalHook.received.length, 0, 'nor does another brand')
  t.equal(brandHook.received.length, 3, 'nor is anything sent twice')
})
