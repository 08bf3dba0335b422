/** A process as `npm start` runs it: what happens once at start-up, and the listeners it opens. */
import t from 'tap'
import { ADMIN, startServer } from '../test/acceptance/testing/server.ts'
import { freePort } from './freePort.ts'

t.test('METRICS_PORT: /metrics is served there, and not on the public port', async t => {
  const metricsPort = await freePort('127.0.0.1')
  const { base, loggedErrors } = await startServer(t, { METRICS_PORT: String(metricsPort) })
  t.equal((await fetch(`${base}/health`)).status, 200)
  t.equal((await fetch(`${base}/metrics`)).status, 404, 'not on the public port')
  const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
  t.equal(scraped.status, 200)
  t.match(await scraped.text(), /http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} 1/)
  t.same(loggedErrors(), [])
})

t.test('the first admin account is created at start-up', async t => {
  const { base } = await startServer(t)
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  })
  t.equal(login.status, 200)
  t.match(await login.json(), { user: { roles: ['admin', 'moderator'] } })
})

t.test('a configuration that cannot work stops the start, saying why', async t => {
  await t.rejects(startServer(t, { JWT_SECRET: 'change-me-in-production' }), /exited with 1 before listening:[^]*invalid configuration: JWT_SECRET must be at least 32 bytes/)
  await t.rejects(startServer(t, { RESERVATION_MINUTES: '0' }), /invalid configuration: RESERVATION_MINUTES must be an integer of at least 1/)
})
