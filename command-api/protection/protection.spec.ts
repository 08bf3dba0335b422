import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { adminToken, bearer, registerUser, type TestUser } from '../../test/testing/harness.ts'
import { call, EUR, isProblem, newListing, newProduct, testApp } from '../testing/specSupport.ts'

const HOUR_MS = 60 * 60_000
let now = Date.parse('2025-03-01T10:00:00.000Z')
const { app, ctx } = await testApp(t, { clock: () => new Date(now), config: { jwtExpiresIn: 30 * 24 * 60 * 60 } })
const [brand, alice, bob] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app), registerUser(app)])
const admin = { token: await adminToken(app) } as TestUser

const setAlert = (as: TestUser | undefined, productId: string, payload: object) => call(app, 'PUT', `/products/${productId}/alert`, { as, payload })
const get = (url: string, as?: TestUser, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...(as && bearer(as.token)), ...headers } })

async function ownedByAlice() {
  const created = await newProduct(app, brand)
  const moved = await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId: created.productId, toUserId: alice.userId } })
  if (moved.statusCode !== 200) throw new Error(moved.body)
  return created
}

/** The caller's notifications of a type, waiting (bounded) for the notice a scan appends without being awaited. */
async function notificationsOf(app: FastifyInstance, as: TestUser, type: string, atLeast: number) {
  for (let attempt = 0; ; attempt++) {
    const head = String(await ctx.eventLog.headPosition())
    const items = (await get('/api/notifications', as, { 'x-min-position': head })).json().items.filter((item: { type: string }) => item.type === type)
    if (items.length >= atLeast || attempt === 50) return items
    await sleep(20)
  }
}

t.test('PUT /products/{productId}/alert: the owner reports, the owner or an admin clears', async t => {
  const { productId } = await ownedByAlice()
  t.ok(isProblem(await setAlert(undefined, productId, { status: 'stolen' }), 401), 'no token')
  t.ok(isProblem(await setAlert(bob, productId, { status: 'stolen' }), 403), 'not the owner')
  t.ok(isProblem(await setAlert(admin, productId, { status: 'stolen' }), 403), 'an admin does not report')
  t.ok(isProblem(await setAlert(alice, productId, { status: 'missing' }), 400), 'an unknown status')
  t.ok(isProblem(await setAlert(alice, productId, { status: 'stolen', extra: 1 }), 400), 'an unknown field')
  t.ok(isProblem(await setAlert(alice, productId, { status: 'stolen', note: 'a\u202Eb' }), 400), 'a bidi override in the note')
  t.ok(isProblem(await setAlert(alice, '01NOSUCHPRODUCT', { status: 'lost' }), 404), 'an unknown product')

  const reported = await setAlert(alice, productId, { status: 'stolen', note: 'Taken from my bike\non Monday' })
  t.equal(reported.statusCode, 200)
  t.same(reported.json(), { productId, alert: { status: 'stolen', since: new Date(now).toISOString(), note: 'Taken from my bike\non Monday' }, position: reported.json().position })
  t.ok(reported.headers.etag, 'a product write carries the ETag')
  const again = await setAlert(alice, productId, { status: 'stolen', note: 'Taken from my bike\non Monday' })
  t.equal(again.json().position, reported.json().position, 'the same report again appends nothing')

  t.ok(isProblem(await setAlert(bob, productId, { status: 'none' }), 403), 'a stranger cannot clear')
  const cleared = await setAlert(admin, productId, { status: 'none' })
  t.equal(cleared.statusCode, 200)
  t.same(cleared.json().alert, null, 'an admin clears it')
})

t.test('while reported: transfer, claim, listing and purchase answer 409', async t => {
  const { productId } = await ownedByAlice()
  const listingId = await newListing(app, alice, productId, EUR(10_000))
  const claimable = await ownedByAlice()
  const { claimCode } = (await call(app, 'POST', '/ownership/transfer', { as: alice, payload: { productId: claimable.productId } })).json()
  for (const id of [productId, claimable.productId]) t.equal((await setAlert(alice, id, { status: 'lost' })).statusCode, 200)

  const refusals = {
    'a reservation': await call(app, 'POST', '/resale/transactions', { as: bob, payload: { listingId } }),
    'a claim': await call(app, 'POST', '/ownership/claim', { as: bob, payload: { claimCode } }),
    'a transfer': await call(app, 'POST', '/ownership/transfer', { as: alice, payload: { productId: claimable.productId, toUserId: bob.userId } }),
    'a claim code': await call(app, 'POST', '/ownership/transfer', { as: alice, payload: { productId: claimable.productId } }),
    'a listing': await call(app, 'POST', '/resale/listings', { as: alice, payload: { productId: claimable.productId, price: EUR(1000), condition: 'good' } }),
  }
  for (const [what, response] of Object.entries(refusals)) {
    t.ok(isProblem(response, 409), what)
    t.match(response.json().detail, /reported lost/, what)
  }

  await setAlert(alice, productId, { status: 'none' })
  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: bob, payload: { listingId } })).json()
  await setAlert(alice, productId, { status: 'stolen' })
  const confirm = await call(app, 'POST', `/resale/transactions/${transactionId}/confirm`, { as: bob, payload: { paymentReference: 'psp-1' } })
  t.ok(isProblem(confirm, 409), 'a purchase reserved before the report')
})

t.test('scans and the page show the alert; each scan tells the owner, at most once an hour, nothing about the scanner', async t => {
  const { productId, qrCode } = await ownedByAlice()
  const scan = () => get(`/api/products/${qrCode}`, bob)
  t.equal((await scan()).json().alert, null, 'no alert yet')
  const { position } = (await setAlert(alice, productId, { status: 'stolen', note: 'private note' })).json()
  const scanned = await get(`/api/products/${qrCode}`, bob, { 'x-min-position': position })
  t.same(scanned.json().alert, { status: 'stolen', since: new Date(now).toISOString() })
  t.notOk(scanned.body.includes('private note'), 'the note stays with the owner')

  const [notice] = await notificationsOf(app, alice, 'scanned_while_reported', 1)
  t.same(Object.keys(notice ?? {}).sort(), ['createdAt', 'id', 'productId', 'read', 'type'])
  t.match(notice, { productId, createdAt: new Date(now).toISOString() })

  const page = await get(`/p/${qrCode}`, undefined, { accept: 'text/html' })
  t.match(page.body, /Reported stolen by its owner/)
  now += HOUR_MS - 1
  await scan()
  t.equal((await notificationsOf(app, alice, 'scanned_while_reported', 2)).length, 1, 'not twice within the hour')
  now += 1
  await scan()
  t.equal((await notificationsOf(app, alice, 'scanned_while_reported', 2)).length, 2, 'again after the hour')

  const history = (await get(`/api/products/${productId}/history`)).json()
  const notices = history.events.filter((event: { type: string }) => event.type === 'ScannedWhileReported')
  t.equal(notices.length, 2)
  t.notOk(JSON.stringify(history).includes(bob.userId), 'who scanned is never recorded')
  t.notOk(JSON.stringify(history).includes('private note'), 'nor is the note public')
})

t.test('ownership proofs: mint, check, revoke; 410 after expiry, revocation or a change of owner', async t => {
  const { productId } = await ownedByAlice()
  const mint = (as: TestUser | undefined, payload?: object) => call(app, 'POST', `/ownership/${productId}/proofs`, { as, payload })
  const check = (token: string) => get(`/api/ownership-proofs/${token}`)
  t.ok(isProblem(await mint(undefined), 401))
  t.ok(isProblem(await mint(bob), 403), 'not the owner')
  for (const ttlMinutes of [0, 10_081, 1.5, '60']) t.ok(isProblem(await mint(alice, { ttlMinutes }), 400), `ttlMinutes ${ttlMinutes}`)
  t.ok(isProblem(await call(app, 'POST', '/ownership/01NOSUCHPRODUCT/proofs', { as: alice }), 404))

  const minted = await mint(alice)
  t.equal(minted.statusCode, 201)
  const { proofToken, url, expiresAt } = minted.json()
  t.equal(url, `${ctx.config.publicBaseUrl}/api/ownership-proofs/${proofToken}`)
  t.equal(expiresAt, new Date(now + 1440 * 60_000).toISOString(), 'a day by default')
  const checked = await check(proofToken)
  t.equal(checked.statusCode, 200)
  t.same(checked.json(), {
    productId,
    name: 'Waxed jacket',
    brand: checked.json().brand,
    serialNumber: checked.json().serialNumber,
    ownedBySameOwner: true,
    alert: null,
    issuedAt: new Date(now).toISOString(),
    expiresAt,
  })
  t.notOk(checked.body.includes(alice.userId), 'nothing about the owner')
  t.ok(isProblem(await check(`${productId}_nosuchproof`), 404), 'an unknown proof')
  t.ok(isProblem(await check('nonsense'), 404))

  const short = (await mint(alice, { ttlMinutes: 5 })).json().proofToken
  await setAlert(alice, productId, { status: 'lost' })
  t.same((await check(short)).json().alert, { status: 'lost', since: new Date(now).toISOString() }, 'the alert shows')
  now += 5 * 60_000
  t.ok(isProblem(await check(short), 410), 'expired')

  t.ok(isProblem(await call(app, 'DELETE', `/ownership-proofs/${proofToken}`, { as: bob }), 403), 'revoked by someone else')
  const revoked = await call(app, 'DELETE', `/ownership-proofs/${proofToken}`, { as: alice })
  t.equal(revoked.statusCode, 204)
  t.ok(isProblem(await check(proofToken), 410), 'revoked')
  t.equal((await call(app, 'DELETE', `/ownership-proofs/${proofToken}`, { as: alice })).statusCode, 204, 'revoking twice')
  t.ok(isProblem(await call(app, 'DELETE', `/ownership-proofs/${productId}_nosuchproof`, { as: alice }), 404))

  await setAlert(alice, productId, { status: 'none' })
  const held = (await mint(alice)).json().proofToken
  t.equal((await check(held)).statusCode, 200)
  await call(app, 'POST', '/ownership/transfer', { as: alice, payload: { productId, toUserId: bob.userId } })
  const afterSale = await check(held)
  t.ok(isProblem(afterSale, 410), 'the product changed owner')
  t.match(afterSale.json().detail, /changed owner/)
})
