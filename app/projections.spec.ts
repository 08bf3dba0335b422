import { randomUUID } from 'node:crypto'
import { copyFileSync } from 'node:fs'
import t from 'tap'
import type { IntegrationMessage } from '../adapters/ports.ts'
import { streams } from '../domain/ids.ts'
import { collections } from '../readmodels/documents.ts'
import { NOTIFICATION_CONSUMER } from '../projectors/notificationConsumer.ts'
import { findNotification } from '../query-api/views/notifications.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { loadConfig } from './config.ts'
import type { AppContext } from './context.ts'
import { createLogger } from './logger.ts'
import { startService } from './service.ts'

const log = createLogger('silent')
const start = (dataDir: string) => startService(loadConfig({ DATA_DIR: dataDir }), { log, projectors: true })

/** A transfer to `toUserId`: the notification projection tells them they received a product. */
async function transfer(ctx: AppContext, toUserId: string) {
  const productId = randomUUID()
  const eventId = randomUUID()
  const metadata = { eventId, occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'brand', correlationId: eventId, causationId: eventId, schemaVersion: 1 }
  const data = { productId, fromUserId: 'brand', toUserId, via: 'transfer', at: metadata.occurredAt }
  const { position } = await ctx.eventLog.append(streams.product(productId), [{ type: 'OwnershipTransferred', data, metadata }])
  return { productId, eventId, position, toUserId }
}

/** The notification of a transfer in its receiver's inbox, or null. */
const notificationOf = (ctx: AppContext, sent: Awaited<ReturnType<typeof transfer>>) =>
  findNotification(ctx.readModels, sent.toUserId, sent.eventId, sent.position)

t.test('the publisher sends each event keyed by its stream; the consumer fills the inbox; reads wait for both', async t => {
  const service = await start(t.testdir())
  t.teardown(() => service.close())
  const { ctx } = service
  const stop = new AbortController()
  let message: IntegrationMessage | undefined
  const observing = ctx.bus.consume(
    'observer',
    async delivered => {
      message = delivered
      stop.abort()
    },
    stop.signal,
  )
  const sent = await transfer(ctx, 'alice')
  t.equal(await ctx.waitForPosition(sent.position, 5000), true)
  t.match(await notificationOf(ctx, sent), { eventId: sent.eventId, type: 'product_received', productId: sent.productId })

  await observing
  t.match(message, { key: streams.product(sent.productId), eventId: sent.eventId, type: 'OwnershipTransferred', position: sent.position })
  t.match(JSON.parse(message!.value), { streamId: streams.product(sent.productId), position: sent.position, data: { toUserId: 'alice' } })
})

t.test('what the in-process bus held unconsumed when the process ended is published again at start', async t => {
  const dataDir = t.testdir()
  const first = await start(dataDir)
  const sent = await transfer(first.ctx, 'bob')
  await first.ctx.waitForPosition(sent.position, 5000)
  await first.close()

  // As if the process had ended after publishing, before its consumer handled the message.
  const store = new SqliteReadModelStore(`${dataDir}/readmodels.sqlite`)
  await store.drop(collections.notifications)
  await store.drop(collections.inboxes)
  await store.setCheckpoint(NOTIFICATION_CONSUMER, 0)
  await store.close()

  const second = await start(dataDir)
  t.teardown(() => second.close())
  t.equal(await second.ctx.waitForPosition(sent.position, 5000), true)
  t.match(await notificationOf(second.ctx, sent), { type: 'product_received', productId: sent.productId })
})

t.test('read models built from another log are refused at start', async t => {
  const root = t.testdir({ first: {}, second: {} })
  const [first, second] = [`${root}/first`, `${root}/second`]
  const service = await start(first)
  const sent = await transfer(service.ctx, 'carol')
  await service.ctx.waitForPosition(sent.position, 5000)
  await service.close()
  copyFileSync(`${first}/readmodels.sqlite`, `${second}/readmodels.sqlite`)
  await t.rejects(start(second), /built from another log/)
})
