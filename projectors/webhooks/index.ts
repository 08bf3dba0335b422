/**
 * Webhooks, driven from the log: a consumer group of the integration bus turns each event into the deliveries it
 * makes (deliveries.ts), stored before the event counts as handled, and the dispatcher sends them. A restart loses
 * nothing (what was not stored is consumed again) and resends nothing delivered (an event seen again makes the same
 * deliveries, which keep their state).
 */
import type { IntegrationBus, WebhookStore } from '../../adapters/ports.ts'
import type { RetryDelays } from '../../eventlog/follow.ts'
import type { EventLog } from '../../eventlog/port.ts'
import type { ReadModelStore } from '../../readmodels/port.ts'
import { StreamCache } from '../../shared/streamCache.ts'
import { startBusConsumer } from '../busConsumer.ts'
import { deliveriesOf } from './deliveries.ts'
import { WebhookDispatcher, type WebhookSettings } from './dispatcher.ts'

/** Its consumer group and the name of its checkpoint. */
export const WEBHOOK_CONSUMER = 'webhook-consumer'

export interface WebhookDeliveryOptions {
  bus: IntegrationBus
  /** Where the checkpoint is kept. */
  store: ReadModelStore
  /** The log, to fold a product as it was at an event. */
  eventLog: EventLog
  webhooks: WebhookStore
  settings: WebhookSettings
  clock: () => Date
  onError: (error: unknown) => void
  retryDelayMs: RetryDelays
}

/** Starts consuming and dispatching; the returned function stops both. */
export async function startWebhookDelivery({ bus, store, eventLog, webhooks, settings, clock, onError, retryDelayMs }: WebhookDeliveryOptions): Promise<() => Promise<void>> {
  const dispatcher = new WebhookDispatcher({ webhooks, settings, clock, onError })
  const products = new StreamCache()
  const stopConsumer = await startBusConsumer({
    bus,
    store,
    group: WEBHOOK_CONSUMER,
    onError,
    retryDelayMs,
    handle: async event => {
      const deliveries = await deliveriesOf(event, clock(), { eventLog, webhooks, products })
      if (deliveries.length === 0) return
      await webhooks.enqueue(deliveries)
      dispatcher.wake()
    },
  })
  dispatcher.start()
  return async () => {
    await stopConsumer()
    await dispatcher.stop()
  }
}
