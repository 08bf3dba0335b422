/**
 * A consumer group of the integration bus with a checkpoint: the highest log position it has handled, stored in the
 * read-model store as it moves. Delivery is at least once: `handle` must make a redelivered event change nothing.
 * After the bus fails, consuming starts again after a backoff.
 */
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import { Backoff, type RetryDelays } from '../eventlog/follow.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { CheckpointWriter } from './checkpointWriter.ts'

export interface BusConsumerOptions {
  bus: IntegrationBus
  store: ReadModelStore
  /** The consumer group, also the name of the checkpoint. */
  group: string
  /** Resolves once the event is handled; only then does it count as handled. */
  handle: (event: RecordedEvent) => Promise<void>
  /** With the checkpoint at start, then with each new position handled. */
  onProgress?: (position: number) => void
  onError: (error: unknown) => void
  /** After the bus fails, consuming starts again after this delay, doubled each time up to max. */
  retryDelayMs: RetryDelays
}

/** Starts consuming; the returned function stops, after the message being handled, and stores the checkpoint. */
export async function startBusConsumer({ bus, store, group, handle, onProgress, onError, retryDelayMs }: BusConsumerOptions): Promise<() => Promise<void>> {
  let handled = await store.getCheckpoint(group)
  onProgress?.(handled)
  const checkpoint = new CheckpointWriter(store, group, handled, onError)

  const handleMessage = async (message: IntegrationMessage) => {
    const event = JSON.parse(message.value) as RecordedEvent
    await handle(event)
    if (event.position <= handled) return
    handled = event.position
    checkpoint.advance(handled)
    onProgress?.(handled)
  }

  const stop = new AbortController()
  const consuming = (async () => {
    const backoff = new Backoff(retryDelayMs)
    while (!stop.signal.aborted) {
      try {
        await bus.consume(group, handleMessage, stop.signal)
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
