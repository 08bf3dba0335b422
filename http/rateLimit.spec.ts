import t from 'tap'
import type { Cache } from '../adapters/ports.ts'
import { degradingCache } from '../adapters/degradingCache.ts'
import { buildTestApp, registerUser } from '../test/testing/harness.ts'

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

t.test('twenty wrong passwords at once: ten are checked, the rest refused, and the right one then gets 429', async t => {
  const { app, close } = await buildTestApp()
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const login = (password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })

  const statuses = (await Promise.all(Array.from({ length: 20 }, () => login('wrong-password')))).map(response => response.statusCode)
  t.equal(statuses.filter(status => status === 401).length, 10, 'ten passwords checked')
  t.equal(statuses.filter(status => status === 429).length, 10, 'the others refused unchecked')
  const locked = await login(password)
  t.equal(locked.statusCode, 429, 'locked, right password or not')
  t.ok(Number(locked.headers['retry-after']) > 0)
})

t.test('when the counter store is down, a login is refused with 503 (fail closed), right password or not', async t => {
  const { app, ctx, close } = await buildTestApp()
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const working = ctx.cache
  const down: Cache = {
    get: key => working.get(key),
    set: (key, value, ttlSeconds) => working.set(key, value, ttlSeconds),
    increment: () => Promise.reject(new Error('connection refused')),
    countDistinct: (key, member, window) => working.countDistinct(key, member, window),
    delete: key => working.delete(key),
    close: () => working.close(),
  }
  ctx.cache = degradingCache(down)
  for (const attempt of [password, 'wrong-password']) {
    const refused = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: attempt } })
    t.equal(refused.statusCode, 503)
    t.match(refused.json(), { status: 503, title: 'Service Unavailable', detail: String })
  }
  ctx.cache = working
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).statusCode, 200, 'back once the store is')
})

t.test('every route is rate limited per address, the costly ones tighter', async t => {
  const { app, close } = await buildTestApp({ config: { rateLimit: { perMinute: 5, costlyPerMinute: 2 } } })
  t.teardown(close)
  const get = (url: string, remoteAddress = '10.7.0.1') => app.inject({ method: 'GET', url, remoteAddress })
  const health = []
  for (let request = 0; request < 6; request++) health.push((await get('/health')).statusCode)
  t.same(health, [200, 200, 200, 200, 200, 429])
  const limited = await get('/api/collections')
  t.equal(limited.statusCode, 429, 'the budget is the address’s, across routes')
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal((await get('/health', '10.7.0.2')).statusCode, 200, 'another address has its own')

  const history = []
  for (let request = 0; request < 3; request++) history.push((await get('/api/products/unknown/history', '10.7.0.3')).statusCode)
  t.same(history, [404, 404, 429], 'history is costly')
  for (const image of ['qr.png', 'qr.svg']) {
    const images = []
    for (let request = 0; request < 3; request++) images.push((await get(`/api/products/unknown/${image}`, '10.7.0.4')).statusCode)
    t.equal(images.at(-1), 429, `${image} is costly`)
  }
})
