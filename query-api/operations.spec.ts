import t from 'tap'
import { buildTestApp } from '../test/testing/harness.ts'

const test = await buildTestApp()
t.teardown(() => test.close())
const { app, ctx } = test

t.test('health: the process answers', async t => {
  const response = await app.inject({ method: 'GET', url: '/health' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})

t.test('ready: each backing service answers', async t => {
  const response = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.status, 'ready')
  t.same(Object.keys(body.services).sort(), ['bus', 'cache', 'eventLog', 'keys', 'media', 'partners', 'readModels', 'webhooks'])
  for (const service of Object.values(body.services)) t.match(service, { status: 'up', implementation: String, required: Boolean, latencyMs: Number })
})

t.test('not ready when a required service fails or hangs; an optional one down is only reported', async t => {
  const { cache, eventLog } = ctx.readiness
  const swap = (name: 'cache' | 'eventLog', check: () => Promise<unknown>) => {
    const original = ctx.readiness[name]
    ctx.readiness[name] = { ...original, check }
    t.teardown(() => {
      ctx.readiness[name] = original
    })
  }
  swap('cache', async () => {
    throw new Error('connection refused')
  })
  const degraded = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(degraded.statusCode, cache.required ? 503 : 200)
  t.match(degraded.json().services.cache, { status: 'down', error: 'connection refused' })

  swap('eventLog', () => new Promise(() => {}))
  const response = await app.inject({ method: 'GET', url: '/ready' })
  t.ok(eventLog.required)
  t.equal(response.statusCode, 503)
  t.match(response.json(), { status: 'not_ready', services: { eventLog: { status: 'down', error: /no answer within/ }, media: { status: 'up' } } })
})
