import t from 'tap'
import { buildTestApp, registerUser } from '../test/harness.ts'

t.test('register and login share one budget per client address', async t => {
  const { app, close } = await buildTestApp({ config: { rateLimitAuth: 3 } })
  t.teardown(close)
  const from = (remoteAddress: string, url: string) => app.inject({ method: 'POST', url, remoteAddress, payload: {} })

  for (const url of ['/api/auth/register', '/api/auth/login', '/api/auth/register']) {
    t.equal((await from('10.0.0.1', url)).statusCode, 400, `${url} within the budget`)
  }
  const limited = await from('10.0.0.1', '/api/auth/login')
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(limited.json(), { status: 429, title: 'Too Many Requests', detail: String })
  t.ok(Number(limited.headers['retry-after']) > 0, 'retry-after in seconds')

  t.equal((await from('10.0.0.2', '/api/auth/login')).statusCode, 400, 'another address has its own budget')
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/verify', remoteAddress: '10.0.0.1' })).statusCode, 401, 'other routes are not limited')
})

t.test('ten failed logins lock the email for the rest of 15 minutes, right password or not', async t => {
  let now = Date.now()
  const { app, close } = await buildTestApp({ clock: () => new Date(now) })
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const login = (password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })

  for (let failure = 1; failure <= 10; failure++) {
    t.equal((await login('wrong-password')).statusCode, 401, `failure ${failure}`)
    now += 30_000
  }
  const locked = await login(password)
  t.equal(locked.statusCode, 429)
  t.equal(locked.headers['retry-after'], String(15 * 60 - 10 * 30))
  t.equal(locked.json().status, 429)

  now += (15 * 60 - 10 * 30) * 1000
  t.equal((await login(password)).statusCode, 200, 'the window has passed')
})

t.test('a successful login starts the count again', async t => {
  const { app, close } = await buildTestApp()
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const login = (password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  for (let failure = 1; failure <= 9; failure++) await login('wrong-password')
  t.equal((await login(password)).statusCode, 200)
  t.equal((await login('wrong-password')).statusCode, 401, 'failure 10 counts as the first')
  t.equal((await login(password)).statusCode, 200)
})
