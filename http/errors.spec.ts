import t from 'tap'
import { Type } from '@sinclair/typebox'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../domain/errors.ts'
import { EventLogUnavailable, WrongExpectedRevision } from '../eventlog/port.ts'
import { InvalidCursor } from '../readmodels/port.ts'
import { StaleRevision } from '../command-api/handleCommand.ts'
import { bearer, buildTestApp, registerUser } from '../test/testing/harness.ts'
import { MAX_PATH_PARAM } from './validation.ts'

const { app, close } = await buildTestApp()
t.teardown(close)

const thrown: { error: unknown } = { error: null }
app.get('/test/throw', async () => {
  throw thrown.error
})
app.get('/test/items/:itemId', async request => request.params)
app.post('/test/echo', { schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Optional(Type.Integer()) }, { additionalProperties: false }) } }, async request => request.body)

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('refusals map to their status codes', async t => {
  const cases: [unknown, number][] = [
    [new NotFound('no such product'), 404],
    [new Forbidden('not the owner'), 403],
    [new Conflict('already listed'), 409],
    [new RuleViolated('a story needs a title'), 422],
    [new WrongExpectedRevision('product-1', 3, 4), 409],
    [new StaleRevision(3, 4), 412],
    [new InvalidCursor(), 400],
    [Object.assign(new Error('the login counter is not answering'), { kind: 'unavailable' }), 503],
    [new EventLogUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:5432')), 503],
  ]
  for (const [error, status] of cases) {
    thrown.error = error
    const response = await app.inject({ method: 'GET', url: '/test/throw?x=1' })
    t.equal(response.statusCode, status, String(error))
    t.equal(response.headers['content-type'], PROBLEM)
    t.match(response.json(), { type: 'about:blank', title: String, status, detail: String, instance: '/test/throw' })
  }
})

t.test('a refusal is known by its kind, from any layer: this one imports none above it', async t => {
  class PreconditionFailed extends Error {
    readonly kind = 'stale_revision'
  }
  thrown.error = new PreconditionFailed('the product is at revision 4, not 3')
  const stale = await app.inject({ method: 'GET', url: '/test/throw' })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { title: 'Precondition Failed', detail: 'the product is at revision 4, not 3' })

  thrown.error = Object.assign(new Error('SQLITE_CORRUPT at /var/lib/secret.db'), { kind: 'corrupt' })
  t.equal((await app.inject({ method: 'GET', url: '/test/throw' })).statusCode, 500, 'an unknown kind is unexpected')
  thrown.error = { kind: 'conflict', message: 'not an Error' }
  t.equal((await app.inject({ method: 'GET', url: '/test/throw' })).statusCode, 500, 'and so is a thrown non-Error')
})

t.test('an unexpected error is a bare 500', async t => {
  thrown.error = new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/secret.db')
  const response = await app.inject({ method: 'GET', url: '/test/throw' })
  t.equal(response.statusCode, 500)
  t.same(response.json(), {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'something went wrong on our side',
    instance: '/test/throw',
  })
})

t.test('invalid input is a 400 that names each field', async t => {
  const missing = await app.inject({ method: 'POST', url: '/test/echo', payload: {} })
  t.equal(missing.statusCode, 400)
  t.equal(missing.headers['content-type'], PROBLEM)
  t.match(missing.json(), { status: 400, errors: [{ path: '/body/name', message: String }] })

  const wrongType = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'a', count: 1.5 } })
  t.match(wrongType.json().errors, [{ path: '/body/count', message: 'must be integer' }])

  const unknown = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'a', isAdmin: true } })
  t.equal(unknown.statusCode, 400, 'unknown properties are refused, not stripped')
  t.same(unknown.json().errors, [{ path: '/body/isAdmin', message: 'is not allowed' }])
})

t.test('the body itself: malformed, empty, too large, wrong media type', async t => {
  const json = { 'content-type': 'application/json' }
  const malformed = await app.inject({ method: 'POST', url: '/test/echo', headers: json, payload: '{"name": ' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.headers['content-type'], PROBLEM)

  const poisoned = await app.inject({ method: 'POST', url: '/test/echo', headers: json, payload: '{"name":"a","__proto__":{"x":1}}' })
  t.equal(poisoned.statusCode, 400)

  const empty = await app.inject({ method: 'POST', url: '/test/echo', headers: json, payload: '' })
  t.equal(empty.statusCode, 400, 'an empty body reaches validation')
  t.match(empty.json().errors, [{ path: '/body' }])

  const large = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'x'.repeat(2 * 1024 * 1024) } })
  t.equal(large.statusCode, 413)
  t.equal(large.headers['content-type'], PROBLEM)

  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    const response = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': type }, payload: 'name=a' })
    t.equal(response.statusCode, 415, type)
    t.equal(response.headers['content-type'], PROBLEM)
  }
})

t.test('a body-less POST may still say it is JSON', async t => {
  const { token } = await registerUser(app)
  const response = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...bearer(token), 'content-type': 'application/json' } })
  t.equal(response.statusCode, 204)
})

t.test('an unknown route is a 404 problem', async t => {
  const response = await app.inject({ method: 'GET', url: '/api/no-such-thing?secret=1' })
  t.equal(response.statusCode, 404)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { status: 404, title: 'Not Found', instance: '/api/no-such-thing' })
})

t.test('a URL the router cannot take apart is a 400 problem; any id up to the bound reaches its route', async t => {
  const badlyEncoded = await app.inject({ method: 'GET', url: '/test/items/%E0%A4%A' })
  t.equal(badlyEncoded.statusCode, 400)
  t.equal(badlyEncoded.headers['content-type'], PROBLEM)
  t.match(badlyEncoded.json(), { status: 400, errors: [{ path: '/url', message: String }], instance: '/test/items/%E0%A4%A' })

  const overlong = await app.inject({ method: 'GET', url: `/test/items/${'x'.repeat(MAX_PATH_PARAM + 1)}` })
  t.equal(overlong.statusCode, 400)
  t.equal(overlong.headers['content-type'], PROBLEM)
  t.notMatch(overlong.json().detail, 'xxx', 'the URL is not echoed back')

  const longest = await app.inject({ method: 'GET', url: `/test/items/${'x'.repeat(MAX_PATH_PARAM)}` })
  t.same(longest.json(), { itemId: 'x'.repeat(MAX_PATH_PARAM) })
})
