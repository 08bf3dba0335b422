import { createHash } from 'node:crypto'
import t from 'tap'
import { adminToken, bearer, registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp } from '../testing/specSupport.ts'
import { cast, newKey, withKey } from '../testing/partners.ts'

let now = Date.parse('2025-03-01T10:00:00.000Z')
const { app, ctx } = await testApp(t, { clock: () => new Date(now) })
const { brand, owner, repairer, authority } = await cast(app)
const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: `/api${url}`, headers })
const record = { type: 'repair', description: 'New zip' }

t.test('PUT /admin/users/{userId}/roles grants the partner roles', async t => {
  const user = await registerUser(app)
  const granted = await app.inject({
    method: 'PUT',
    url: `/api/admin/users/${user.userId}/roles`,
    headers: bearer(await adminToken(app)),
    payload: { roles: ['consumer', 'repairer', 'reseller', 'recycler', 'authority'] },
  })
  t.equal(granted.statusCode, 200)
  t.same(granted.json().roles, ['consumer', 'repairer', 'reseller', 'recycler', 'authority'])
  const refused = await app.inject({ method: 'PUT', url: `/api/admin/users/${user.userId}/roles`, headers: bearer(await adminToken(app)), payload: { roles: ['mechanic'] } })
  t.ok(isProblem(refused, 400), 'a role that does not exist')
})

t.test('POST /partners/keys shows the key once and stores only its hash', async t => {
  const created = await call(app, 'POST', '/partners/keys', { as: repairer, payload: { name: 'workshop till', scopes: ['lifecycle:write', 'passport:read'] } })
  t.equal(created.statusCode, 201)
  const { keyId, apiKey, scopes, lastUsedAt } = created.json()
  t.match(apiKey, /^ptvem_[0-9A-Z]+_[A-Za-z0-9_-]{43}$/)
  t.same(scopes, ['lifecycle:write', 'passport:read'])
  t.equal(lastUsedAt, null)
  const stored = await ctx.apiKeys.keyById(keyId)
  t.equal(stored?.hash, createHash('sha256').update(apiKey).digest('hex'))
  t.notOk(JSON.stringify(stored).includes(apiKey), 'the key itself is not stored')

  const listed = await get('/partners/keys', bearer(repairer.token))
  t.equal(listed.statusCode, 200)
  t.same(listed.json().items, [{ keyId, name: 'workshop till', scopes: ['lifecycle:write', 'passport:read'], createdAt: '2025-03-01T10:00:00.000Z', lastUsedAt: null }])
  t.notOk(listed.body.includes(apiKey), 'never shown again')
})

t.test('who may hold which key', async t => {
  const ask = (as: typeof brand, scopes: string[]) => call(app, 'POST', '/partners/keys', { as, payload: { name: 'k', scopes } })
  t.equal((await ask(brand, ['lifecycle:write', 'passport:read', 'webhooks'])).statusCode, 201, 'a brand')
  t.equal((await ask(authority, ['passport:read'])).statusCode, 201, 'an authority reads')
  t.ok(isProblem(await ask(authority, ['lifecycle:write']), 403), 'a key never exceeds its partner’s role')
  t.ok(isProblem(await ask(owner, ['passport:read']), 403), 'a consumer holds no key')
  t.ok(isProblem(await call(app, 'POST', '/partners/keys', { payload: { name: 'k', scopes: ['webhooks'] } }), 401), 'no token')
  t.ok(isProblem(await ask(repairer, ['admin']), 400), 'an unknown scope')
  t.ok(isProblem(await ask(repairer, []), 400), 'no scope')
  t.ok(isProblem(await ask(repairer, ['webhooks', 'webhooks']), 400), 'a scope twice')
  t.ok(isProblem(await get('/partners/keys', bearer(owner.token)), 403), 'a consumer lists no keys')
})

t.test('a key acts for its partner, within its scopes, and notes its last use', async t => {
  const { productId } = await newProduct(app, brand)
  const { keyId, apiKey } = await newKey(app, repairer, ['lifecycle:write'])
  now += 60_000
  const written = await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(apiKey) })
  t.equal(written.statusCode, 201)
  t.equal((await ctx.apiKeys.keyById(keyId))?.lastUsedAt, '2025-03-01T10:01:00.000Z')
  const listed = (await get('/partners/keys', bearer(repairer.token))).json().items
  t.equal(listed.find((key: { keyId: string }) => key.keyId === keyId).lastUsedAt, '2025-03-01T10:01:00.000Z')

  const readOnly = await newKey(app, repairer, ['passport:read'])
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(readOnly.apiKey) }), 403), 'a scope it lacks')
  t.ok(isProblem(await get('/partners/keys', { 'x-api-key': apiKey }), 403), 'a route that takes tokens only')
  t.ok(isProblem(await call(app, 'POST', '/ownership/transfer', { payload: { productId, toUserId: owner.userId }, ...withKey(apiKey) }), 403), 'nor any other write')
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(`${apiKey}x`) }), 401), 'a key that is not one')
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey('') }), 401), 'an empty key')
})

t.test('a key follows its partner’s current role', async t => {
  const partner = await registerUser(app, { roles: ['repairer'] })
  const { apiKey } = await newKey(app, partner, ['lifecycle:write'])
  const { productId } = await newProduct(app, brand)
  t.equal((await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(apiKey) })).statusCode, 201)
  const demoted = await app.inject({ method: 'PUT', url: `/api/admin/users/${partner.userId}/roles`, headers: bearer(await adminToken(app)), payload: { roles: ['consumer'] } })
  t.equal(demoted.statusCode, 200)
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(apiKey) }), 403), 'no longer a repairer')
})

t.test('a key of an admin acts with no admin powers', async t => {
  const admin = await registerUser(app, { roles: ['admin', 'brand'] })
  const { apiKey } = await newKey(app, admin, ['passport:read'])
  const { productId, position } = await newProduct(app, brand)
  t.ok(isProblem(await get(`/products/${productId}/passport?view=authority`, { 'x-api-key': apiKey, 'x-min-position': position }), 403))
})

t.test('DELETE /partners/keys/{keyId} revokes a key at once', async t => {
  const { productId } = await newProduct(app, brand)
  const { keyId, apiKey } = await newKey(app, repairer, ['lifecycle:write'])
  const other = await registerUser(app, { roles: ['repairer'] })
  t.ok(isProblem(await call(app, 'DELETE', `/partners/keys/${keyId}`, { as: other }), 403), 'another partner')
  t.ok(isProblem(await call(app, 'DELETE', `/partners/keys/${keyId}`, { ...withKey(apiKey) }), 403), 'the key itself')
  t.ok(isProblem(await call(app, 'DELETE', '/partners/keys/01NOSUCHKEY', { as: repairer }), 404), 'an unknown key')
  const revoked = await call(app, 'DELETE', `/partners/keys/${keyId}`, { as: repairer })
  t.equal(revoked.statusCode, 204)
  t.ok(isProblem(await call(app, 'POST', `/products/${productId}/lifecycle`, { payload: record, ...withKey(apiKey) }), 401), 'the next request')
  t.notOk((await get('/partners/keys', bearer(repairer.token))).body.includes(keyId), 'no longer listed')
  t.ok(isProblem(await call(app, 'DELETE', `/partners/keys/${keyId}`, { as: repairer }), 404), 'revoked once')

  const second = await newKey(app, repairer, ['passport:read'])
  const byAdmin = await app.inject({ method: 'DELETE', url: `/api/partners/keys/${second.keyId}`, headers: bearer(await adminToken(app)) })
  t.equal(byAdmin.statusCode, 204, 'an admin')
})
