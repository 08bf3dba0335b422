import t from 'tap'
import { streams } from '../../domain/ids.ts'
import { registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, newListing, newProduct, testApp } from '../testing/specSupport.ts'
import { claimCodeHash } from './claimCode.ts'

const DAY_MS = 24 * 60 * 60 * 1000
let now = Date.parse('2025-03-01T10:00:00.000Z')
const { app, ctx } = await testApp(t, { clock: () => new Date(now), config: { jwtExpiresIn: 30 * 24 * 60 * 60 } })
const [brand, alice, bob, carol] = await Promise.all([
  registerUser(app, { accountType: 'brand' }),
  registerUser(app),
  registerUser(app),
  registerUser(app),
])
const transfer = (as: typeof brand, payload: object) => call(app, 'POST', '/ownership/transfer', { as, payload })
const claim = (as: typeof brand, claimCode: string) => call(app, 'POST', '/ownership/claim', { as, payload: { claimCode } })

t.test('a direct transfer', async t => {
  const { productId } = await newProduct(app, brand)
  const moved = await transfer(brand, { productId, toUserId: alice.userId })
  t.equal(moved.statusCode, 200)
  t.same(moved.json(), { productId, ownerId: alice.userId, position: moved.json().position })
  t.equal(moved.headers.etag, '"2"')

  t.ok(isProblem(await transfer(brand, { productId, toUserId: bob.userId }), 403), 'the previous owner no longer may')
  t.ok(isProblem(await transfer(alice, { productId, toUserId: 'nobody' }), 422), 'to an account that does not exist')
  t.ok(isProblem(await transfer(alice, { productId, toUserId: alice.userId }), 422), 'to oneself')
  t.ok(isProblem(await transfer(alice, { productId: '01NOSUCHPRODUCT', toUserId: bob.userId }), 404), 'an unknown product')
  t.equal((await transfer(alice, { productId, toUserId: bob.userId })).statusCode, 200, 'the new owner may')
})

t.test('a listed product cannot change hands', async t => {
  const { productId } = await newProduct(app, brand)
  await newListing(app, brand, productId)
  t.ok(isProblem(await transfer(brand, { productId, toUserId: alice.userId }), 409))
  t.ok(isProblem(await transfer(brand, { productId }), 409), 'nor get a claim code')
})

t.test('a claim code works once', async t => {
  const { productId } = await newProduct(app, brand)
  const issued = await transfer(brand, { productId })
  t.equal(issued.statusCode, 200)
  const { claimCode, expiresAt } = issued.json()
  t.match(claimCode, new RegExp(`^${productId}_[0-9a-f]{48}$`))
  t.equal(expiresAt, new Date(now + 7 * DAY_MS).toISOString())
  t.notOk('ownerId' in issued.json(), 'the owner does not change yet')

  const recorded = (await ctx.eventLog.readStream(streams.product(productId))).at(-1)
  t.same(recorded?.data.claimCodeHash, claimCodeHash(claimCode), 'only the hash is stored')
  t.notOk(JSON.stringify(recorded).includes(claimCode))

  const claimed = await claim(alice, claimCode)
  t.equal(claimed.statusCode, 200)
  t.same(claimed.json(), { productId, ownerId: alice.userId, position: claimed.json().position })
  t.ok(isProblem(await claim(bob, claimCode), 422), 'a second use')
})

t.test('a claim code that does not fit', async t => {
  const { productId } = await newProduct(app, brand)
  await transfer(brand, { productId })
  t.ok(isProblem(await claim(alice, 'not-a-code'), 404), 'no product in it')
  t.ok(isProblem(await claim(alice, '01NOSUCHPRODUCT_abc'), 404), 'an unknown product')
  t.ok(isProblem(await claim(alice, `${productId}_${'0'.repeat(48)}`), 422), 'a wrong secret')
  t.ok(isProblem(await claim(alice, `${productId}/../x_y`), 404), 'path characters')
})

t.test('a claim code runs out after 7 days', async t => {
  const { productId } = await newProduct(app, brand)
  const { claimCode } = (await transfer(brand, { productId })).json()
  now += 7 * DAY_MS
  t.ok(isProblem(await claim(alice, claimCode), 422))
})

t.test('PUT /ownership/{productId}/consent', async t => {
  const { productId } = await newProduct(app, brand)
  await transfer(brand, { productId, toUserId: alice.userId })
  await transfer(alice, { productId, toUserId: bob.userId })
  const consent = (as: typeof brand, visibility: string, id = productId) =>
    call(app, 'PUT', `/ownership/${id}/consent`, { as, payload: { visibility } })

  const past = await consent(alice, 'anonymous')
  t.equal(past.statusCode, 200, 'a past owner')
  t.match(past.json(), { productId, visibility: 'anonymous', position: /^\d+$/ })
  t.equal((await consent(bob, 'hidden')).statusCode, 200, 'the current owner')
  t.ok(isProblem(await consent(carol, 'public'), 403), 'never an owner')
  t.ok(isProblem(await consent(bob, 'secret'), 400), 'an unknown visibility')
  t.ok(isProblem(await consent(bob, 'public', '01NOSUCHPRODUCT'), 404), 'an unknown product')
})
