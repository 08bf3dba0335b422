import t from 'tap'
import { buildTestApp } from '../test/testing/harness.ts'

const { app, close } = await buildTestApp()
t.teardown(close)

t.test('the OpenAPI document lists the routes from their schemas', async t => {
  const response = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(response.statusCode, 200)
  const document = response.json()
  t.match(document.openapi, /^3\./)
  for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/logout', '/api/auth/verify', '/api/admin/users/{userId}/roles']) {
    t.ok(document.paths[path], path)
  }
  const register = document.paths['/api/auth/register'].post
  t.match(register.requestBody.content['application/json'].schema, { required: ['email', 'password', 'displayName'], additionalProperties: false })
  t.notOk(register.security, 'register is public')
  t.same(document.paths['/api/auth/verify'].get.security, [{ bearer: [] }])
  t.same(document.paths['/api/admin/users/{userId}/roles'].put.security, [{ bearer: [] }])
  t.equal(document.components.securitySchemes.bearer.scheme, 'bearer')
})

t.test('the docs UI is served', async t => {
  const response = await app.inject({ method: 'GET', url: '/docs' })
  t.ok(response.statusCode < 400, `status ${response.statusCode}`)
})

t.test('metrics are in Prometheus text format', async t => {
  await app.inject({ method: 'GET', url: '/api/auth/verify' })
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain/)
  t.match(response.body, /http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/verify",status_code="401"\} 1/)
  t.match(response.body, /process_cpu_user_seconds_total/)
})
