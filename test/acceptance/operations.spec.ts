/**
 * What operators and careless clients meet, over real HTTP against `npm start`: liveness and readiness,
 * metrics, the API's own documentation, and problem+json for every kind of bad request API.md lists.
 */
import t from 'tap'
import { expectProblem, expectStatus, type Person } from './testing/client.ts'
import { signUp } from './testing/people.ts'
import { closeWalk, openWalk, PHOTO, upload } from './testing/walk.ts'

const walk = await openWalk(t)
const { api } = walk


/** Every route API.md lists, as `METHOD path` with its parameters blanked, so names need not match. */
const CONTRACT = [
  'POST /api/auth/register', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/verify', 'PUT /api/admin/users/{}/roles',
  'POST /api/collections', 'POST /api/collections/{}/designs', 'GET /api/collections', 'GET /api/collections/{}',
  'POST /api/products', 'GET /api/products/{}', 'POST /api/products/{}/qr', 'GET /api/products/{}/qr.svg', 'GET /api/products/{}/qr.png',
  'GET /api/products/{}/details', 'GET /api/products/{}/history',
  'POST /api/ownership/transfer', 'POST /api/ownership/claim', 'GET /api/ownership/{}/history', 'PUT /api/ownership/{}/consent', 'GET /api/ownership/user/{}',
  'POST /api/media', 'GET /api/media/{}', 'POST /api/stories', 'GET /api/stories/{}', 'PUT /api/stories/{}', 'DELETE /api/stories/{}',
  'GET /api/moderation/stories', 'POST /api/moderation/stories/{}/decision',
  'GET /api/resale/price-suggestion', 'POST /api/resale/listings', 'GET /api/resale/listings', 'GET /api/resale/listings/{}', 'PUT /api/resale/listings/{}',
  'POST /api/resale/transactions', 'POST /api/resale/transactions/{}/confirm', 'POST /api/resale/transactions/{}/cancel', 'GET /api/resale/transactions/{}',
  'GET /api/notifications', 'GET /api/products/{}/live', 'GET /api/notifications/live', 'GET /api/audit/events',
  'GET /health', 'GET /ready', 'GET /p/{}', 'GET /01/{}/21/{}',
  'POST /api/partners/keys', 'GET /api/partners/keys', 'DELETE /api/partners/keys/{}',
  'POST /api/products/{}/lifecycle', 'POST /api/products/{}/lifecycle/{}/decision', 'GET /api/products/{}/lifecycle',
  'GET /api/products/{}/passport', 'PUT /api/products/{}/passport-data', 'GET /api/products/{}/access-log',
]

let user: Person

t.test('the service is alive and ready, each backing service answering', async t => {
  t.same(await api.call(t, 'GET /health'), { status: 'ok' })
  const ready = await api.call(t, 'GET /ready')
  t.match(ready, { status: 'ready', services: Object })
  const services = Object.entries(ready.services)
  t.ok(services.length > 0, 'it names its services')
  for (const [name, service] of services) t.match(service, { status: 'up' }, `${name} is up`)
})

t.test('metrics come in the Prometheus text format', async t => {
  await api.send('GET /health')
  const metrics = await api.send('GET /metrics')
  expectStatus(t, metrics, 200)
  t.match(metrics.contentType, /^text\/plain/)
  t.match(metrics.text, /^# HELP /m)
  t.match(metrics.text, /^# TYPE \w+ (counter|gauge|histogram|summary)$/m)
  t.match(metrics.text, /^http_request_duration_seconds_count\{.*route="\/health".*\} \d+/m, 'request durations per route')
})

t.test('the docs: a UI, and an OpenAPI 3 document listing every route of the contract', async t => {
  const ui = await api.send('GET /docs')
  expectStatus(t, ui, 200)
  t.match(ui.contentType, /^text\/html/)

  const document = await api.call(t, 'GET /docs/json')
  t.match(document, { openapi: /^3\./, info: { title: String, version: String }, paths: Object })
  const documented = new Set(
    Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map(method => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
    ),
  )
  t.same(CONTRACT.filter(route => !documented.has(route)), [], 'no route of API.md is missing')
  const register = document.paths['/api/auth/register']?.post
  t.match(register?.requestBody?.content?.['application/json']?.schema, { required: Array, properties: { email: Object, password: Object } }, 'schemas included')
})

t.test('bad requests are problems, never a 500', async t => {
  user = await signUp(t, api, { displayName: 'Careless' })
  const sent = (raw: string, contentType: string) => ({ raw, headers: { 'content-type': contentType } })
  await api.refused(t, 'GET /api/nowhere', {}, 404)
  await api.refused(t, 'POST /api/auth/login', sent('{"email":', 'application/json'), 400)
  await api.refused(t, 'POST /api/auth/login', sent('email=a@b.test', 'application/x-www-form-urlencoded'), 415)
  await api.refused(t, 'POST /api/auth/login', sent(JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) }), 'application/json'), 413)
  const wrongType = await api.refused(t, 'POST /api/auth/register', { body: { email: 'x@walk.test', password: 12345678, displayName: 'X' } }, 400)
  t.match(wrongType.errors, [{ path: '/body/password', message: String }], 'the field is named, nothing is coerced')
  await api.refused(t, 'GET /api/resale/listings?limit=1000', {}, 400)
  await api.refused(t, 'POST /api/auth/login', { body: [] }, 400)
  await api.refused(t, 'POST /api/auth/login', sent('null', 'application/json'), 400)
  await api.refused(t, 'POST /api/ownership/claim', { as: user, body: { claimCode: '_' } }, [404, 422])
  await api.refused(t, 'POST /api/ownership/claim', { as: user, body: { claimCode: 'no-product_at-all' } }, [404, 422])
  await api.refused(t, 'PUT /api/stories/no-underscore', { as: user, body: { title: 'x' } }, 404)
  await api.refused(t, 'GET /api/media/..%2F..%2Fsecrets.json', { as: user }, [400, 404])
  await api.refused(t, 'GET /api/products/%00/details', {}, [400, 404])
  await api.refused(t, `GET /api/stories/${'x'.repeat(5000)}`, {}, [400, 404])
  await api.refused(t, `GET /api/products/${'x'.repeat(200)}/details`, {}, 404)
  await api.refused(t, 'GET /api/products/%E0%A4%A/details', {}, 400)
  await api.refused(t, 'GET /api/audit/events?from=last-week', { as: user }, [400, 403])
  await api.refused(t, 'GET /api/auth/verify', { as: 'made.up.token' }, 401)
})

t.test('uploads: 10 MB is fine, more is a 413, not an image a 415', async t => {
  const MB10 = 10 * 1024 * 1024
  const largest = await api.call(t, 'POST /api/media', { as: user, body: upload(Buffer.concat([PHOTO, Buffer.alloc(MB10 - PHOTO.length)]), 'large.png', 'image/png') }, 201)
  t.ok(largest.size > 0 && largest.size <= MB10, 'stored, cleaned of what followed the image')
  // A real PNG padded past 10 MB; sent a few times, as where the limit falls in the request's chunks varies.
  const huge = upload(Buffer.concat([PHOTO, Buffer.alloc(MB10)]), 'huge.png', 'image/png')
  for (let attempt = 0; attempt < 3; attempt++) await api.refused(t, 'POST /api/media', { as: user, body: huge }, 413)
  await api.refused(t, 'POST /api/media', { as: user, body: upload(Buffer.from('GIF89a'), 'anim.gif', 'image/gif') }, 415)
  await api.refused(t, 'POST /api/media', { as: user, body: { file: 'not multipart' } }, 415)
})

t.test('ten failed logins lock the email: then 429 with retry-after, even with the right password', async t => {
  const victim = await signUp(t, api, { displayName: 'Victim' })
  for (let attempt = 1; attempt <= 10; attempt++) {
    const reply = await api.send('POST /api/auth/login', { body: { email: victim.email, password: `guess ${attempt}` } })
    t.equal(reply.status, 401, `guess ${attempt} is a 401`)
  }
  const locked = await api.send('POST /api/auth/login', { body: { email: victim.email, password: victim.password } })
  expectProblem(t, locked, 429)
  t.ok(Number(locked.headers.get('retry-after')) > 0, 'retry-after says how long', { found: locked.headers.get('retry-after') })
  t.equal((await api.call(t, 'GET /api/auth/verify', { as: victim })).valid, true, 'a token already issued still works')
})

t.test('register and login share RATE_LIMIT_AUTH requests a minute per client: then 429 with retry-after', async t => {
  const { api: strict } = await openWalk(t, { RATE_LIMIT_AUTH: '3' })
  const body = { email: 'eager@walk.test', password: 'an eager password', displayName: 'Eager' }
  await strict.call(t, 'POST /api/auth/register', { body }, 201)
  await strict.call(t, 'POST /api/auth/login', { body: { email: body.email, password: body.password } })
  await strict.refused(t, 'POST /api/auth/login', { body: { email: body.email, password: 'wrong' } }, 401)
  const limited = await strict.send('POST /api/auth/login', { body: { email: body.email, password: body.password } })
  expectProblem(t, limited, 429)
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'retry-after says how long', { found: limited.headers.get('retry-after') })
  t.equal((await strict.send('GET /health')).status, 200, 'other routes are not limited')
})

t.test('left to its defaults (PORT=0, no PUBLIC_BASE_URL), the server issues QR URLs that lead back to it', async t => {
  const { api: bare, server } = await openWalk(t, { PUBLIC_BASE_URL: '' })
  const brand = await signUp(t, bare, { displayName: 'Default', brandName: 'Defaults Inc' })
  const { qrCode, qrUrl } = await bare.call(t, 'POST /api/products', { as: brand, body: { name: 'Plain tee' } }, 201)
  const url = new URL(qrUrl)
  t.equal(url.port, new URL(server.base).port, 'the QR URL names the port the server listens on', { qrUrl, listening: server.base })
  t.equal(url.pathname, `/p/${qrCode}`)
})

closeWalk(t, walk)
