import Fastify from 'fastify'
import { Redis } from 'ioredis'
import t from 'tap'
import { rateLimit } from '../http/rateLimit.ts'
import { registerErrorHandling } from '../http/errors.ts'
import { sharedRateLimitStore } from './rateLimitStore.ts'

t.test('while Redis is away, each instance counts on its own', async t => {
  // Nothing listens on port 1, and the client refuses to queue: every count fails at once, as while Redis is down.
  const redis = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false })
  t.teardown(() => redis.disconnect())
  const app = Fastify()
  registerErrorHandling(app)
  await app.register(rateLimit, { authPerMinute: 2, perMinute: 100, costlyPerMinute: 100, store: { store: sharedRateLimitStore(redis, 'test:') } })
  app.post('/login', { onRequest: app.authRateLimit }, async () => ({ ok: true }))
  t.teardown(() => app.close())

  const statuses = []
  for (let attempt = 0; attempt < 3; attempt++) statuses.push((await app.inject({ method: 'POST', url: '/login' })).statusCode)
  t.same(statuses, [200, 200, 429])
})

t.test('the every-route budget counts through the shared store too, and answers 429 with retry-after', async t => {
  const redis = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false })
  t.teardown(() => redis.disconnect())
  const app = Fastify()
  registerErrorHandling(app)
  await app.register(rateLimit, { authPerMinute: 100, perMinute: 2, costlyPerMinute: 100, store: { store: sharedRateLimitStore(redis, 'test:') } })
  app.get('/ping', async () => ({ ok: true }))
  t.teardown(() => app.close())

  const responses = []
  for (let attempt = 0; attempt < 3; attempt++) responses.push(await app.inject({ method: 'GET', url: '/ping' }))
  t.same(responses.map(response => response.statusCode), [200, 200, 429])
  t.ok(Number(responses[2]!.headers['retry-after']) > 0, 'retry-after in seconds')
  t.equal(responses[2]!.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.notOk(responses[0]!.headers['x-ratelimit-remaining'], 'no count headers')
})
