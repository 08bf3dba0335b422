import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, type TestUser } from '../../test/testing/harness.ts'
import { call, isProblem, newListing, newProduct, testApp, uploadPng } from '../testing/specSupport.ts'
import { cast, newKey, withKey } from '../testing/partners.ts'

const { app } = await testApp(t)
const { brand, owner, stranger, repairer, reseller, recycler } = await cast(app)

const read = (url: string, as?: TestUser, position?: string, extra: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...(as && bearer(as.token)), ...(position && { 'x-min-position': position }), ...extra } })

/** A product the owner received from the brand. */
async function ownedProduct(app: FastifyInstance): Promise<{ productId: string; qrCode: string }> {
  const { productId, qrCode } = await newProduct(app, brand)
  const moved = await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId, toUserId: owner.userId } })
  if (moved.statusCode !== 200) throw new Error(moved.body)
  return { productId, qrCode }
}

const write = (productId: string, payload: object, as?: TestUser, headers: Record<string, string> = {}) =>
  call(app, 'POST', `/products/${productId}/lifecycle`, { as, payload, headers })
const decide = (productId: string, lifecycleId: string, decision: string, as: TestUser = owner) =>
  call(app, 'POST', `/products/${productId}/lifecycle/${lifecycleId}/decision`, { as, payload: { decision } })
const repair = { type: 'repair', description: 'Replaced the broken zip with a YKK one', details: { part: 'zip' } }

t.test('the walk: a repairer’s key writes a repair, the owner accepts, the public page shows it', async t => {
  const { productId, qrCode } = await ownedProduct(app)
  const { apiKey } = await newKey(app, repairer, ['lifecycle:write'])

  const written = await write(productId, repair, undefined, withKey(apiKey).headers)
  t.equal(written.statusCode, 201)
  const { lifecycleId, status, position } = written.json()
  t.equal(status, 'pending_owner')
  t.match(lifecycleId, new RegExp(`^${productId}_`))
  t.equal(written.headers.etag, '"3"')

  const inbox = (await read('/api/notifications', owner, position)).json().items
  t.match(inbox[0], { type: 'lifecycle_pending', productId }, 'the owner is asked')

  t.same((await read(`/api/products/${productId}/lifecycle`)).json().items, [], 'nothing public while pending')
  t.match((await read(`/api/products/${productId}/lifecycle`, owner)).json().items, [{ lifecycleId, status: 'pending_owner' }], 'the owner sees it')
  t.match((await read(`/api/products/${productId}/lifecycle`, undefined, undefined, { 'x-api-key': apiKey })).json().items, [{ lifecycleId, status: 'pending_owner' }], 'so does the partner’s key')
  t.notOk((await read(`/api/products/${productId}/history`)).body.includes('Replaced the broken zip'), 'nor in the history')

  const accepted = await decide(productId, lifecycleId, 'accept')
  t.equal(accepted.statusCode, 200)
  t.same(accepted.json(), { lifecycleId, status: 'accepted', position: accepted.json().position })

  const [item, ...others] = (await read(`/api/products/${productId}/lifecycle`)).json().items
  t.same(others, [])
  t.ok(Date.parse(item.occurredAt) <= Date.now(), 'occurredAt defaults to the time of writing')
  t.same(item, {
    lifecycleId,
    type: 'repair',
    description: repair.description,
    occurredAt: item.occurredAt,
    partner: { userId: repairer.userId, displayName: 'Zip Clinic', role: 'repairer' },
    status: 'accepted',
    mediaIds: [],
    details: { part: 'zip' },
  })
  const history = (await read(`/api/products/${productId}/history`)).json().events
  t.match(history.slice(-2), [
    { type: 'LifecycleRecorded', data: { lifecycleId, description: repair.description, partnerId: repairer.userId } },
    { type: 'LifecycleAccepted', data: { lifecycleId, type: 'repair' } },
  ])
  const page = await read(`/p/${qrCode}`, undefined, accepted.json().position)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Replaced the broken zip with a YKK one')
  t.match(page.body, 'Repair')
  t.match(page.body, 'Zip Clinic')
})

t.test('a refused record appears nowhere public; its partner sees it refused', async t => {
  const { productId, qrCode } = await ownedProduct(app)
  const { lifecycleId } = (await write(productId, { type: 'cleaning', description: 'Stain removal gone wrong' }, repairer)).json()
  const refused = await decide(productId, lifecycleId, 'refuse')
  t.same(refused.json(), { lifecycleId, status: 'refused', position: refused.json().position })
  t.same((await read(`/api/products/${productId}/lifecycle`)).json().items, [])
  t.same((await read(`/api/products/${productId}/lifecycle`, owner)).json().items, [])
  t.match((await read(`/api/products/${productId}/lifecycle`, repairer)).json().items, [{ lifecycleId, status: 'refused' }])
  const history = (await read(`/api/products/${productId}/history`)).json().events.map((event: { type: string }) => event.type)
  t.notOk(history.includes('LifecycleRecorded') || history.includes('LifecycleRefused'), 'not in the history')
  t.notOk((await read(`/p/${qrCode}`, undefined, refused.json().position)).body.includes('Stain removal'), 'not on the page')
  t.ok(isProblem(await decide(productId, lifecycleId, 'accept'), 409), 'decided once')
})

t.test('who writes which record', async t => {
  const { productId } = await ownedProduct(app)
  t.equal((await write(productId, repair, reseller)).statusCode, 201, 'a reseller, by token')
  t.equal((await write(productId, { type: 'inspection', description: 'Seams checked' }, brand)).statusCode, 201, 'the product’s brand')
  const otherBrand = (await cast(app)).brand
  t.ok(isProblem(await write(productId, repair, otherBrand), 403), 'another brand')
  t.ok(isProblem(await write(productId, repair, owner), 403), 'the owner')
  t.ok(isProblem(await write(productId, repair, stranger), 403), 'a consumer')
  t.ok(isProblem(await write(productId, { type: 'recycling', description: 'Shredded' }, repairer), 403), 'recycling by a repairer')
  t.ok(isProblem(await write(productId, { type: 'recycling', description: 'Shredded' }, brand), 403), 'recycling by the brand')
  t.ok(isProblem(await write(productId, repair), 401), 'no token')
  t.ok(isProblem(await write('01NOSUCHPRODUCT', repair, repairer), 404), 'an unknown product')
})

t.test('bad lifecycle input', async t => {
  const { productId } = await ownedProduct(app)
  t.ok(isProblem(await write(productId, { type: 'dyeing', description: 'Blue' }, repairer), 400), 'an unknown type')
  t.ok(isProblem(await write(productId, { type: 'repair' }, repairer), 400), 'no description')
  t.ok(isProblem(await write(productId, { ...repair, price: 10 }, repairer), 400), 'an unknown field')
  t.ok(isProblem(await write(productId, { ...repair, occurredAt: 'last week' }, repairer), 400), 'not a time')
  t.ok(isProblem(await write(productId, { ...repair, details: { part: 7 } }, repairer), 400), 'details are text')
  t.ok(isProblem(await write(productId, { ...repair, occurredAt: '2999-01-01T00:00:00Z' }, repairer), 422), 'in the future')
  t.ok(isProblem(await write(productId, { ...repair, mediaIds: [await uploadPng(app, owner)] }, repairer), 422), 'someone else’s photo')
  t.equal((await write(productId, { ...repair, mediaIds: [await uploadPng(app, repairer)] }, repairer)).statusCode, 201, 'its own photo')
})

t.test('POST .../decision: only the current owner decides', async t => {
  const { productId } = await ownedProduct(app)
  const { lifecycleId } = (await write(productId, repair, repairer)).json()
  t.ok(isProblem(await decide(productId, lifecycleId, 'accept', repairer), 403), 'the partner')
  t.ok(isProblem(await decide(productId, lifecycleId, 'accept', brand), 403), 'a past owner')
  t.ok(isProblem(await decide(productId, `${productId}_01NOSUCH`, 'accept'), 404), 'an unknown record')
  t.ok(isProblem(await decide('01NOSUCHPRODUCT', lifecycleId, 'accept'), 404), 'an unknown product')
  t.ok(isProblem(await decide(productId, lifecycleId, 'maybe'), 400), 'not a decision')
  const { apiKey } = await newKey(app, repairer, ['lifecycle:write'])
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle/${lifecycleId}/decision`, { payload: { decision: 'accept' }, ...withKey(apiKey) }), 403), 'a key')
})

t.test('an accepted take_back makes the partner the owner', async t => {
  const { productId } = await ownedProduct(app)
  const { lifecycleId } = (await write(productId, { type: 'take_back', description: 'Bought back in store' }, reseller)).json()
  const accepted = await decide(productId, lifecycleId, 'accept')
  t.equal(accepted.statusCode, 200)
  const owners = (await read(`/api/ownership/${productId}/history`, undefined, accepted.json().position)).json().owners
  t.match(owners.at(-1), { owner: { userId: reseller.userId }, via: 'take_back', to: null })
  t.ok(isProblem(await call(app, 'POST', '/ownership/transfer', { as: owner, payload: { productId, toUserId: stranger.userId } }), 403), 'the owner no more')
})

t.test('a take_back waits while the product is listed', async t => {
  const { productId } = await ownedProduct(app)
  await newListing(app, owner, productId)
  const { lifecycleId } = (await write(productId, { type: 'take_back', description: 'Bought back' }, reseller)).json()
  t.ok(isProblem(await decide(productId, lifecycleId, 'accept'), 409))
})

t.test('an accepted recycling ends the product’s life', async t => {
  const { productId, qrCode } = await ownedProduct(app)
  const claimCode = (await call(app, 'POST', '/ownership/transfer', { as: owner, payload: { productId } })).json().claimCode
  const { apiKey } = await newKey(app, recycler, ['lifecycle:write'])
  const { lifecycleId } = (await write(productId, { type: 'recycling', description: 'Fibre-to-fibre recycling' }, undefined, withKey(apiKey).headers)).json()
  const accepted = await decide(productId, lifecycleId, 'accept')
  t.equal(accepted.statusCode, 200)
  const position = accepted.json().position

  const scan = (await read(`/api/products/${qrCode}`, undefined, position)).json()
  t.match(scan.endOfLife, { type: 'recycling', at: /^\d{4}-/ })
  t.match((await read(`/api/products/${productId}/details`, undefined, position)).json().endOfLife, { type: 'recycling' })
  t.match((await read(`/p/${qrCode}`, undefined, position)).body, 'life has ended')

  t.ok(isProblem(await call(app, 'POST', '/ownership/transfer', { as: owner, payload: { productId, toUserId: stranger.userId } }), 409), 'a transfer')
  t.ok(isProblem(await call(app, 'POST', '/ownership/transfer', { as: owner, payload: { productId } }), 409), 'a claim code')
  t.ok(isProblem(await call(app, 'POST', '/ownership/claim', { as: stranger, payload: { claimCode } }), 409), 'a claim')
  t.ok(isProblem(await call(app, 'POST', '/resale/listings', { as: owner, payload: { productId, price: { amount: 1000, currency: 'EUR' }, condition: 'fair' } }), 409), 'a listing')
  t.ok(isProblem(await call(app, 'POST', '/stories', { as: owner, payload: { productId, title: 'Goodbye', body: 'It served me well.' } }), 409), 'a story')
  t.ok(isProblem(await write(productId, repair, repairer), 409), 'a record')
})

t.test('an unended product keeps endOfLife null', async t => {
  const { qrCode, position } = await newProduct(app, brand)
  t.equal((await read(`/api/products/${qrCode}`, undefined, position)).json().endOfLife, null)
})

t.test('PUT /products/{productId}/passport-data', async t => {
  const { productId } = await ownedProduct(app)
  const put = (as: TestUser | undefined, payload: object, id = productId) => call(app, 'PUT', `/products/${id}/passport-data`, { as, payload })
  const data = { care: 'Wash at 30°C', repairInstructions: 'Spare buttons in the pocket', legalName: 'Atelier SA', substancesOfConcern: [{ name: 'Lead', casNumber: '7439-92-1' }] }
  const set = await put(brand, data)
  t.equal(set.statusCode, 200)
  t.match(set.json(), { productId, ...data, position: /^\d+$/ })
  t.match((await put(brand, { care: 'Dry clean only' })).json(), { care: 'Dry clean only', repairInstructions: 'Spare buttons in the pocket' }, 'fields not given stay')

  t.ok(isProblem(await put(owner, data), 403), 'the owner')
  t.ok(isProblem(await put((await cast(app)).brand, data), 403), 'another brand')
  t.ok(isProblem(await put(undefined, data), 401), 'no token')
  t.ok(isProblem(await put(brand, {}), 400), 'nothing to set')
  t.ok(isProblem(await put(brand, { colour: 'red' }), 400), 'an unknown field')
  t.ok(isProblem(await put(brand, { compliance: [{ name: 'DoC', url: 'javascript:alert(1)' }] }), 400), 'a document that is not a web address')
  t.ok(isProblem(await put(brand, data, '01NOSUCHPRODUCT'), 404), 'an unknown product')

  const events = (await read(`/api/products/${productId}/history`)).json().events
  const updates = events.filter((event: { type: string }) => event.type === 'PassportDataUpdated')
  t.equal(updates.length, 2, 'each update an event of its own, shown in the history')
  t.match(updates[0].data, { care: 'Wash at 30°C' })
  t.notOk('repairInstructions' in updates[0].data || 'legalName' in updates[0].data, 'without what only professionals and authorities read')
})

t.test('a brand sets passport data when it creates the product', async t => {
  const { productId, position } = await newProduct(app, brand, { care: 'Hand wash', disassembly: 'Unpick the lining first' })
  const history: { type: string; source?: string; data: object }[] = (await read(`/api/products/${productId}/history`)).json().events
  const events = history.filter(event => event.source !== 'brand')
  t.same(events.map(event => event.type), ['ProductCreated', 'QrCodeIssued', 'PassportDataUpdated'])
  t.notOk('care' in events[0]!.data, 'not in the product’s creation')
  t.match((await read(`/api/products/${productId}/passport`, undefined, position)).json(), { care: 'Hand wash' })
})
