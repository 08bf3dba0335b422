import t from 'tap'
import { buildTestApp } from '../test/testing/harness.ts'
import { createLogger } from '../app/logger.ts'
import { metricsApp } from './metrics.ts'

const VERIFY_COUNT = /http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/verify",status_code="401"\} 1/

t.test('with an operations port, /metrics leaves the public app for a listener of its own', async t => {
  const { app, close } = await buildTestApp({ config: { metricsPort: 0 } })
  t.teardown(close)
  const operations = metricsApp(app.metricsRegistry, createLogger('silent'))
  t.teardown(() => operations.close())

  await app.inject({ method: 'GET', url: '/api/auth/verify' })
  const hidden = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(hidden.statusCode, 404, 'not on the public port')
  t.equal(hidden.headers['content-type'], 'application/problem+json; charset=utf-8')

  const scraped = await operations.inject({ method: 'GET', url: '/metrics' })
  t.equal(scraped.statusCode, 200)
  t.match(scraped.headers['content-type'], /^text\/plain/)
  t.match(scraped.body, VERIFY_COUNT, 'the public app is measured all the same')
  t.match(scraped.body, /process_cpu_user_seconds_total/)
  t.notMatch(scraped.body, /route="\/metrics"/, 'scrapes are not measured as public requests')

  const other = await operations.inject({ method: 'GET', url: '/api/auth/verify' })
  t.equal(other.statusCode, 404, 'the operations port serves /metrics alone')
})

t.test('without one, /metrics stays on the public port', async t => {
  const { app, close } = await buildTestApp()
  t.teardown(close)
  await app.inject({ method: 'GET', url: '/api/auth/verify' })
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.body, VERIFY_COUNT)
})

t.test('each request to a route counts once, with its duration; a path no route knows is left out', async t => {
  const { app, close } = await buildTestApp()
  t.teardown(close)
  for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/api/auth/verify' })
  t.equal((await app.inject({ method: 'GET', url: '/no/such/path' })).statusCode, 404)
  const { body } = await app.inject({ method: 'GET', url: '/metrics' })
  const series = /http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/verify",status_code="401"\} (\d+)/.exec(body)
  t.equal(series?.[1], '3')
  const sum = /http_request_duration_seconds_sum\{method="GET",route="\/api\/auth\/verify",status_code="401"\} ([\d.e-]+)/.exec(body)
  t.ok(Number(sum?.[1]) > 0, 'the durations add up to some time')
  t.notMatch(body, /no\/such\/path/)
  t.notMatch(body, /status_code="404"/)
})
