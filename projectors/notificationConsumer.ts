/**
 * The notification projection fed by the integration bus rather than the log: it consumes, in its own consumer
 * group, what the publisher sent. Delivery is at least once; a redelivered event changes nothing, since the
 * user's inbox records the position of the last event applied to it.
 *
 * Its checkpoint, the highest position handled, is what x-min-position waits on for notifications. That is a
 * true low-water mark only while the bus delivers in log order (the in-process bus, a one-partition topic). Out of
 * order, an inbox would also take an event older than its last one as applied: that notification would be lost.
 */
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import { Backoff, type RetryDelays } from '../eventlog/follow.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'
import { CheckpointWriter } from './checkpointWriter.ts'
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

/** Starts consuming; the returned function stops, after the message being handled. */
export async function startNotificationConsumer({
  bus,
  store,
  projected,
  onProgress,
  onError,
  retryDelayMs,
}: NotificationConsumerOptions): Promise<() => Promise<void>> {
  let handled = await store.getCheckpoint(NOTIFICATION_CONSUMER)
  onProgress(handled)
  const checkpoint = new CheckpointWriter(store, NOTIFICATION_CONSUMER, handled, onError)

  /** The notification is written before the message counts as handled, and the checkpoint after it. */
  const handle = async (message: IntegrationMessage) => {
    const event = JSON.parse(message.value) as RecordedEvent
    if (notificationsProjection.handles.has(event.type)) {
      const work = new UnitOfWork(store)
      await projected(event.position)
      await notificationsProjection.project(event, work)
      await work.commit(new Map())
    }
    if (event.position <= handled) return
    handled = event.position
    checkpoint.advance(handled)
    onProgress(handled)
  }

  const stop = new AbortController()
  const consuming = (async () => {
    const backoff = new Backoff(retryDelayMs)
    while (!stop.signal.aborted) {
      try {
        await bus.consume(NOTIFICATION_CONSUMER, handle, stop.signal)
        backoff.succeeded()
      } catch (error) {
        onError(error)
      }
      await backoff.wait(stop.signal)
    }
  })()
  return async () => {
    stop.abort()
    await consuming
    await checkpoint.flush()
  }
}
