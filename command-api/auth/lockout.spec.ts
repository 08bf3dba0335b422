import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import t from 'tap'
import { loadConfig } from '../../app/config.ts'
import { buildTestApp, registerUser } from '../../test/testing/harness.ts'

const limitsWith = async (overrides: object) => ({ ...loadConfig({ DATA_DIR: await mkdtemp(`${tmpdir()}/ptvem-limits-`) }).limits, ...overrides })

t.test("a stranger's failures lock out their own address, not the owner coming from elsewhere", async t => {
  let now = Date.now()
  const { app, close } = await buildTestApp({ clock: () => new Date(now) })
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const login = (remoteAddress: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } })

  for (let failure = 1; failure <= 10; failure++) t.equal((await login('10.9.0.1', 'guess')).statusCode, 401)
  t.equal((await login('10.9.0.1', password)).statusCode, 429, 'the stranger is locked out, right password or not')
  t.equal((await login('10.9.0.2', password)).statusCode, 200, 'the owner logs in from elsewhere')

  now += 15 * 60_000
  for (let failure = 1; failure <= 10; failure++) t.equal((await login('10.9.0.1', 'guess')).statusCode, 401, 'a new window')
  const again = await login('10.9.0.1', 'guess')
  t.equal(again.statusCode, 429)
  t.equal(again.headers['retry-after'], String(30 * 60), 'the second lock-out lasts twice as long')
  now += 20 * 60_000
  t.equal((await login('10.9.0.1', password)).statusCode, 429, 'still locked after the first duration')
  now += 10 * 60_000
  t.equal((await login('10.9.0.1', password)).statusCode, 200)
})

t.test('a ceiling per email stops guessing spread over many addresses', async t => {
  const { app, close } = await buildTestApp({ config: { limits: await limitsWith({ loginFailuresPerEmail: 10 }) } })
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const login = (remoteAddress: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } })
  const statuses = []
  // registerUser logged in once: a password check that counts too.
  for (let failure = 0; failure < 9; failure++) statuses.push((await login(`10.8.${failure % 3}.1`, 'guess')).statusCode)
  t.same(new Set(statuses), new Set([401]), '9 guesses from 3 addresses, each under its own limit')
  const ceiling = await login('10.8.9.9', password)
  t.equal(ceiling.statusCode, 429, 'then the email is locked everywhere')
  t.ok(Number(ceiling.headers['retry-after']) > 0)
})

t.test('password checks beyond the line are refused with 503, not queued', async t => {
  const { app, close } = await buildTestApp({ config: { limits: await limitsWith({ passwordHashing: { concurrent: 1, waiting: 2 } }) } })
  t.teardown(close)
  const { email, password } = await registerUser(app)
  const logins = await Promise.all(
    Array.from({ length: 8 }, (_, i) => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.6.0.${i}`, payload: { email, password } })),
  )
  const statuses = logins.map(response => response.statusCode)
  t.equal(statuses.filter(status => status === 200).length, 3, 'one checked at once, two waiting')
  t.equal(statuses.filter(status => status === 503).length, 5)
  t.ok(logins.filter(response => response.statusCode === 503).every(response => response.headers['retry-after'] === '1'))
})
