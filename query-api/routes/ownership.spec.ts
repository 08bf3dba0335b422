import t from 'tap'
import { adminToken, bearer, registerUser } from '../../test/testing/harness.ts'
import { scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())

t.test('the owners timeline follows each owner’s consent', async t => {
  const response = await s.app.inject({ method: 'GET', url: `/api/ownership/${s.productId}/history` })
  t.equal(response.statusCode, 200)
  t.same(response.json(), {
    productId: s.productId,
    owners: [
      { owner: { userId: s.brand.userId, displayName: 'Maison Verte' }, visibility: 'public', from: '2024-01-01T00:00:00.000Z', to: '2024-02-01T00:00:00.000Z', via: 'creation' },
      { owner: null, visibility: 'hidden', from: null, to: null, via: null },
      { owner: { userId: s.bob.userId, displayName: 'Bob' }, visibility: 'public', from: '2024-05-01T00:05:00.000Z', to: null, via: 'resale' },
    ],
  })
  t.equal((await s.app.inject({ method: 'GET', url: '/api/ownership/unknown/history' })).statusCode, 404)
})

t.test("a user's products: for that user or an admin", async t => {
  const url = `/api/ownership/user/${s.bob.userId}`
  const own = await s.app.inject({ method: 'GET', url, headers: bearer(s.bob.token) })
  t.equal(own.statusCode, 200)
  t.match(own.json(), { items: [{ productId: s.productId, name: 'Camp shirt' }], nextCursor: null })
  t.equal((await s.app.inject({ method: 'GET', url, headers: bearer(await adminToken(s.app)) })).statusCode, 200)
  t.equal((await s.app.inject({ method: 'GET', url, headers: bearer(s.alice.token) })).statusCode, 403)
  t.equal((await s.app.inject({ method: 'GET', url })).statusCode, 401)
  const alice = await s.app.inject({ method: 'GET', url: `/api/ownership/user/${s.alice.userId}`, headers: bearer(s.alice.token) })
  t.same(alice.json(), { items: [], nextCursor: null }, 'she sold it')
})

t.test('lists page with limit and an opaque cursor; a bad cursor or limit is a 400', async t => {
  const carol = await registerUser(s.app)
  const url = `/api/ownership/user/${carol.userId}`
  t.equal((await s.app.inject({ method: 'GET', url: `${url}?cursor=garbage`, headers: bearer(carol.token) })).statusCode, 400)
  for (const limit of [0, 101, 'x']) {
    t.equal((await s.app.inject({ method: 'GET', url: `${url}?limit=${limit}`, headers: bearer(carol.token) })).statusCode, 400, `limit ${limit}`)
  }
})
