/**
 * The projectors of a process. The read-model projections share one runner; the publisher and the QR cache
 * each run in a runner of their own, so a broker or cache outage stalls only them; the notification projection
 * consumes the bus. Embedded, the same pieces run on the in-process bus.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { EventLog } from '../eventlog/port.ts'
import { projections } from '../projectors/index.ts'
import { NOTIFICATION_CONSUMER, startNotificationConsumer } from '../projectors/notificationConsumer.ts'
import { notificationsProjection } from '../projectors/notifications.ts'
import type { Projection } from '../projectors/projection.ts'
import { PUBLISHER, publisherProjection } from '../projectors/publisher.ts'
import { qrCacheProjection } from '../projectors/qrCache.ts'
import { ProjectionRunner } from '../projectors/runner.ts'
import type { Ports } from './openPorts.ts'
import { Watermark } from '../projectors/watermark.ts'
import { startWebhookDelivery, WEBHOOK_CONSUMER } from '../projectors/webhooks/index.ts'
import type { WebhookSettings } from './context.ts'

const readModelProjections = projections.filter(projection => projection !== notificationsProjection)

/** What a read with x-min-position waits for: every read model, notifications included. */
export const readModelCheckpoints: readonly string[] = [...readModelProjections.map(({ name }) => name), NOTIFICATION_CONSUMER]

/** How long the notification consumer waits for the read models it reads before trying anyway. */
const PROJECTED_WAIT_MS = 5_000
/** After a server outage, projections resume within seconds of its return. */
const RETRY_DELAY_MS = { first: 100, max: 5_000 }

export interface Projectors {
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>
  stop(): Promise<void>
}

/** Read models built from another log (a new DATA_DIR or EVENTSTORE_URL, a shared database) would skip this log's events as applied. */
async function assertBuiltFromThisLog({ readModels, rawEventLog }: Ports): Promise<void> {
  // Checkpoints first: the head can only have grown meanwhile, so a running projector elsewhere never looks ahead.
  const applied = Math.max(...(await Promise.all([...readModelCheckpoints, PUBLISHER, WEBHOOK_CONSUMER].map(name => readModels.getCheckpoint(name)))))
  const head = await rawEventLog.headPosition()
  if (applied > head) {
    throw new Error(`the read models have applied position ${applied}, beyond the head of the event log (${head}): they were built from another log; rebuild them, or give them an empty database`)
  }
}

export interface ProjectorSettings {
  webhooks: WebhookSettings
  clock: () => Date
}

export async function startProjectors(ports: Ports, log: FastifyBaseLogger, { webhooks, clock }: ProjectorSettings): Promise<Projectors> {
  await assertBuiltFromThisLog(ports)
  const onError = (error: unknown) => log.error({ err: error }, 'projection failed')
  const runner = (eventLog: EventLog, ...projections: Projection[]) => new ProjectionRunner({ eventLog, store: ports.readModels, projections, onError, retryDelayMs: RETRY_DELAY_MS })
  const readModels = runner(ports.eventLog, ...readModelProjections)
  const runners = [readModels, runner(ports.rawEventLog, publisherProjection(ports.bus)), runner(ports.rawEventLog, qrCacheProjection(ports.rawCache))]

  if (!ports.durableBus) {
    // The in-process bus lost what it held when the last process ended: publish again what was not consumed.
    const published = await ports.readModels.getCheckpoint(PUBLISHER)
    const consumedByAll = Math.min(...(await Promise.all([NOTIFICATION_CONSUMER, WEBHOOK_CONSUMER].map(name => ports.readModels.getCheckpoint(name)))))
    if (consumedByAll < published) await ports.readModels.setCheckpoint(PUBLISHER, consumedByAll)
  }
  const started: { stop(): Promise<void> }[] = []
  const notifications = new Watermark()
  try {
    for (const each of runners) {
      await each.start()
      started.push(each)
    }
    const stopConsumer = await startNotificationConsumer({
      bus: ports.bus,
      store: ports.readModels,
      projected: position => readModels.waitForPosition(position, PROJECTED_WAIT_MS),
      onProgress: position => notifications.advance(position),
      onError: error => log.error({ err: error }, 'notification consumer failed'),
      retryDelayMs: RETRY_DELAY_MS,
    })
    started.unshift({ stop: stopConsumer })
    const stopWebhooks = await startWebhookDelivery({
      bus: ports.bus,
      store: ports.readModels,
      eventLog: ports.eventLog,
      webhooks: ports.webhooks,
      settings: webhooks,
      clock,
      onError: error => log.error({ err: error }, 'webhook delivery failed'),
      retryDelayMs: RETRY_DELAY_MS,
    })
    started.unshift({ stop: stopWebhooks })
  } catch (error) {
    for (const each of started) await each.stop()
    throw error
  }

  return {
    async waitForPosition(position, timeoutMs) {
      const reached = await Promise.all([readModels.waitForPosition(position, timeoutMs), notifications.waitFor(position, timeoutMs)])
      return reached.every(Boolean)
    },
    async stop() {
      for (const each of started) await each.stop()
    },
  }
}
