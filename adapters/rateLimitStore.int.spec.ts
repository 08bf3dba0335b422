import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { Redis } from 'ioredis'
import t from 'tap'
import { serverSettings } from './testing/servers.ts'
import { rateLimit } from '../http/rateLimit.ts'
import { registerErrorHandling } from '../http/errors.ts'
import { sharedRateLimitStore } from './rateLimitStore.ts'

const settings = serverSettings(t, ['REDIS_URL'])
if (settings) {
  t.test('instances sharing Redis share one budget per client address', async t => {
    const redis = new Redis(settings.REDIS_URL)
    t.teardown(() => redis.quit())
    const store = sharedRateLimitStore(redis, `ptvem-test:${randomUUID()}:`)
    const instance = async () => {
      const app = Fastify()
      registerErrorHandling(app)
      await app.register(rateLimit, { authPerMinute: 3, perMinute: 6, costlyPerMinute: 2, store: { store } })
      app.post('/login', { onRequest: app.authRateLimit }, async () => ({ ok: true }))
      app.get('/costly', { config: { rateLimit: app.costlyRateLimit } }, async () => ({ ok: true }))
      app.get('/cheap', async () => ({ ok: true }))
      t.teardown(() => app.close())
      return app
    }
    const [one, two] = [await instance(), await instance()]
    const login = (app: typeof one) => app.inject({ method: 'POST', url: '/login', remoteAddress: '10.1.1.1' })
    const statuses = [await login(one), await login(two), await login(one), await login(two)].map(response => response.statusCode)
    t.same(statuses, [200, 200, 200, 429])
    t.equal((await one.inject({ method: 'POST', url: '/login', remoteAddress: '10.1.1.2' })).statusCode, 200, 'another address has its own budget')

    const get = (app: typeof one, url: string) => app.inject({ method: 'GET', url, remoteAddress: '10.1.1.3' }).then(response => response.statusCode)
    t.same([await get(one, '/costly'), await get(two, '/costly'), await get(one, '/costly')], [200, 200, 429], 'the costly routes share their budget')
    const cheap = []
    for (let request = 0; request < 7; request++) cheap.push(await get(request % 2 ? one : two, '/cheap'))
    t.same(cheap, [200, 200, 200, 200, 200, 200, 429], 'and every other route the general one')
  })
}
