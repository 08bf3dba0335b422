/**
 * Webhooks on the production adapters: the bus is Kafka (a topic of this run's own), webhooks, deliveries and
 * checkpoints are in MongoDB (a database of this run's own). A receiver on 127.0.0.1 fails once; the process ends
 * before the retry and another starts: the retry comes with the same webhook-id, and nothing delivered is resent.
 */
import { randomUUID } from 'node:crypto'
import { Kafka } from 'kafkajs'
import t from 'tap'
import { ownMongoDatabase, serverSettings } from '../../adapters/testing/servers.ts'
import { bootstrapAdmin } from '../../app/bootstrapAdmin.ts'
import { buildApp } from '../../app/buildApp.ts'
import { loadConfig } from '../../app/config.ts'
import { createLogger } from '../../app/logger.ts'
import { startService } from '../../app/service.ts'
import { FIRST_DELAY_MS } from '../../domain/webhook/retry.ts'
import { ADMIN, bearer, registerUser } from '../../test/testing/harness.ts'
import { startReceiver, verified } from '../../test/testing/webhookReceiver.ts'

const settings = serverSettings(t, ['KAFKA_BROKERS', 'MONGODB_URL'])
if (settings) {
  const brokers = settings.KAFKA_BROKERS.split(',')
  const topic = `ptvem-test-webhooks-${randomUUID()}`
  t.teardown(async () => {
    const admin = new Kafka({ brokers }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [topic] })
    await admin.disconnect()
  })
  const config = loadConfig({
    DATA_DIR: t.testdir(),
    JWT_SECRET: 'test-jwt-secret-of-at-least-32-bytes',
    SIGNING_SECRET: 'test-signing-secret-of-at-least-32-bytes',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_AUTH: '10000',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    MONGODB_URL: ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_test_webhooks'),
    KAFKA_BROKERS: settings.KAFKA_BROKERS,
    KAFKA_TOPIC: topic,
  })
  const log = createLogger('silent')
  /** The clock of the processes runs ahead by this much, so that a retry comes due without waiting for it. */
  let ahead = 0
  const clock = () => new Date(Date.now() + ahead)
  const startProcess = async () => {
    const service = await startService(config, { log, clock, projectors: true })
    await bootstrapAdmin(service.ctx, log)
    const app = await buildApp(service.ctx, { log })
    return {
      app,
      async close() {
        await app.close()
        await service.close()
      },
    }
  }

  t.test('a retry survives a restart; nothing delivered is sent again', async t => {
    const receiver = await startReceiver(t)
    receiver.answer(503, 204)
    let running = await startProcess()
    t.teardown(() => running.close())
    const brand = await registerUser(running.app, { accountType: 'brand' })
    const owner = await registerUser(running.app)
    const post = (url: string, payload: object) => running.app.inject({ method: 'POST', url: `/api${url}`, headers: bearer(brand.token), payload })
    const deliveries = async (webhookId: string) =>
      (await running.app.inject({ method: 'GET', url: `/api/webhooks/${webhookId}/deliveries`, headers: bearer(brand.token) })).json().items
    const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
      for (let tries = 0; ; tries++) {
        const value = await read()
        if (done(value) || tries === 300) return value
        await new Promise(resolve => setTimeout(resolve, 100))
      }
    }

    const registered = await post('/webhooks', { url: receiver.url, events: ['product.*'] })
    t.equal(registered.statusCode, 201)
    const { webhookId, secret } = registered.json()
    const created = await post('/products', { name: 'Waxed jacket' })
    t.equal(created.statusCode, 201)
    const { productId } = created.json()

    const failed = await eventually(() => deliveries(webhookId), items => items[0]?.attempts === 1)
    t.match(failed, [{ eventType: 'product.created', status: 'retrying', attempts: 1, lastStatusCode: 503 }])
    await running.close()

    ahead = 2 * FIRST_DELAY_MS
    running = await startProcess()
    const retried = await eventually(() => deliveries(webhookId), items => items[0]?.status === 'delivered')
    t.match(retried, [{ eventType: 'product.created', status: 'delivered', attempts: 2, lastStatusCode: 204 }])
    t.equal(receiver.received.length, 2)
    t.equal(receiver.received[0]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id'], 'the same webhook-id')
    t.match(verified(secret, receiver.received[1]!), { type: 'product.created', data: { productId } })

    t.equal((await post('/ownership/transfer', { productId, toUserId: owner.userId })).statusCode, 200)
    const both = await eventually(() => deliveries(webhookId), items => items.length === 2 && items.every((each: { status: string }) => each.status === 'delivered'))
    t.match(both, [{ eventType: 'product.transferred', status: 'delivered', attempts: 1 }, { eventType: 'product.created', status: 'delivered', attempts: 2 }])
    await running.close()
    running = await startProcess()
    await new Promise(resolve => setTimeout(resolve, 1_000))
    t.equal(receiver.received.length, 3, 'after another restart, nothing delivered is sent again')
    t.same(
      receiver.received.map(request => (verified(secret, request) as { type: string }).type),
      ['product.created', 'product.created', 'product.transferred'],
    )
  })
}
