import t from 'tap'
import { issueToken } from './tokens.ts'
import { ADMIN, adminToken, bearer, buildTestApp, login, registerUser } from '../test/testing/harness.ts'

let now = Date.now()
const { app, ctx, close } = await buildTestApp({ clock: () => new Date(now) })
t.teardown(close)

const verify = (token: string) => app.inject({ method: 'GET', url: '/api/auth/verify', headers: bearer(token) })
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

t.test('register answers with the account, never the password', async t => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: 'Mixed.Case@Example.TEST', password: 'correct horse', displayName: 'Mia', accountType: 'brand', brandName: 'Mia Atelier' },
  })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.match(body, { userId: String, email: 'mixed.case@example.test', displayName: 'Mia', position: /^\d+$/ })
  t.same(body.roles, ['consumer'], 'a brand is a consumer until an admin verifies it')
  t.same(body.brand, { brandName: 'Mia Atelier', status: 'pending' })
  t.notMatch(response.body, /password|scrypt|correct horse/)
})

t.test('an email is registered once, whatever its case', async t => {
  const { email } = await registerUser(app)
  const again = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: email.toUpperCase(), password: 'another-password', displayName: 'Copy' },
  })
  t.equal(again.statusCode, 409)
  t.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8')
})

t.test('a brand account needs a brand name', async t => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: 'brandless@example.test', password: 'password-1', displayName: 'B', accountType: 'brand' },
  })
  t.equal(response.statusCode, 400)
  t.same(response.json().errors, [{ path: '/body/brandName', message: 'is required when accountType is brand' }])
})

t.test('login gives a bearer token that verify accepts', async t => {
  const { userId, email, password } = await registerUser(app)
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body, { accessToken: String, tokenType: 'Bearer', expiresIn: ctx.config.jwtExpiresIn, user: { userId, email, roles: ['consumer'] } })
  t.notMatch(response.body, /scrypt|passwordHash/)

  const verified = await verify(body.accessToken)
  t.equal(verified.statusCode, 200)
  t.same(verified.json(), {
    valid: true,
    userId,
    roles: ['consumer'],
    expiresAt: new Date((Math.floor(now / 1000) + ctx.config.jwtExpiresIn) * 1000).toISOString(),
  })
})

t.test('login refuses a wrong password and an unknown email alike', async t => {
  const { email } = await registerUser(app)
  const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'not-the-password' } })
  const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.test', password: 'whatever1' } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.equal(wrong.json().detail, unknown.json().detail)
})

t.test('logout revokes the token at once, and only that token', async t => {
  const { email, password, token } = await registerUser(app)
  const other = await login(app, email, password)
  const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })
  t.equal(logout.statusCode, 204)
  t.equal(logout.body, '')
  const revoked = await verify(token)
  t.equal(revoked.statusCode, 401)
  t.equal(revoked.json().detail, 'the token has been revoked')
  t.equal((await verify(other)).statusCode, 200)
})

t.test('missing, malformed, forged and expired tokens are 401 problems', async t => {
  const { userId, token } = await registerUser(app)
  const [header, payload] = token.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const cases: Record<string, string | undefined> = {
    'no token': undefined,
    'not a bearer': `Basic ${Buffer.from('a:b').toString('base64')}`,
    'alg none': `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'another key': `Bearer ${issueToken({ secret: 'another-secret', userId, roles: ['admin'], jti: 'x', now: new Date(now), expiresIn: 60 })}`,
    'altered claims': `Bearer ${header}.${base64url({ ...claims, roles: ['admin'] })}.${token.split('.')[2]}`,
    garbage: 'Bearer not.a.jwt',
  }
  for (const [name, authorization] of Object.entries(cases)) {
    const response = await app.inject({ method: 'GET', url: '/api/auth/verify', headers: authorization ? { authorization } : {} })
    t.equal(response.statusCode, 401, name)
    t.match(response.json(), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: String, instance: '/api/auth/verify' }, name)
    t.equal(response.headers['www-authenticate'], 'Bearer', name)
  }

  t.equal((await verify(token)).statusCode, 200, 'accepted until it expires, and then, once verified before, refused')
  now += (ctx.config.jwtExpiresIn + 1) * 1000
  const expired = await verify(token)
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().detail, 'the token has expired')
})

t.test('roles are enforced, and a role change reaches tokens already issued', async t => {
  const user = await registerUser(app)
  const setRoles = (token: string | undefined, roles: unknown) =>
    app.inject({ method: 'PUT', url: `/api/admin/users/${user.userId}/roles`, headers: token ? bearer(token) : {}, payload: { roles } })

  t.equal((await setRoles(undefined, ['moderator'])).statusCode, 401)
  const forbidden = await setRoles(user.token, ['admin'])
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.json().title, 'Forbidden')
  t.equal((await setRoles(await adminToken(app), ['superuser'])).statusCode, 400)

  const changed = await setRoles(await adminToken(app), ['consumer', 'moderator'])
  t.equal(changed.statusCode, 200)
  t.match(changed.json(), { userId: user.userId, roles: ['consumer', 'moderator'], position: /^\d+$/ })
  t.same((await verify(user.token)).json().roles, ['consumer', 'moderator'])

  const unknown = await app.inject({
    method: 'PUT',
    url: '/api/admin/users/01NOBODY/roles',
    headers: bearer(await adminToken(app)),
    payload: { roles: ['consumer'] },
  })
  t.equal(unknown.statusCode, 404)
})

t.test('the admin account comes from configuration', async t => {
  const token = await login(app, ADMIN.email, ADMIN.password)
  t.match((await verify(token)).json().roles, ['admin'])
})
