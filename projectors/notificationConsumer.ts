/**
 * The notification projection fed by the integration bus rather than the log: it consumes, in its own consumer
 * group, what the publisher sent. Delivery is at least once; a redelivered event changes nothing, since the
 * user's inbox records the position of the last event applied to it.
 *
 * Its checkpoint, the highest position handled, is what x-min-position waits on for notifications. That is a
 * true low-water mark only while the bus delivers in log order (the in-process bus, a one-partition topic). Out of
 * order, an inbox would also take an event older than its last one as applied: that notification would be lost.
 */
import type { IntegrationBus } from '../adapters/ports.ts'
import type { RetryDelays } from '../eventlog/follow.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'
import { startBusConsumer } from './busConsumer.ts'
import { notificationsProjection } from './notifications.ts'

/** Its consumer group and the name of its checkpoint. */
export const NOTIFICATION_CONSUMER = 'notification-consumer'

export interface NotificationConsumerOptions {
  bus: IntegrationBus
  store: ReadModelStore
  /** Resolves once the projections this one reads (stories) have applied `position`. */
  projected: (position: number) => Promise<unknown>
  /** With the checkpoint at start, then with each new position handled. */
  onProgress: (position: number) => void
  onError: (error: unknown) => void
  /** After the bus fails, consuming starts again after this delay, doubled each time up to max. */
  retryDelayMs: RetryDelays
}

/** Starts consuming; the returned function stops, after the message being handled. The notification is written before the message counts as handled. */
export const startNotificationConsumer = ({ store, projected, ...options }: NotificationConsumerOptions): Promise<() => Promise<void>> =>
  startBusConsumer({
    ...options,
    store,
    group: NOTIFICATION_CONSUMER,
    handle: async event => {
      if (!notificationsProjection.handles.has(event.type)) return
      const work = new UnitOfWork(store)
      await projected(event.position)
      await notificationsProjection.project(event, work)
      await work.commit(new Map())
    },
  })
