/**
 * Long-lived subscribers: a subscription can throw or end by itself (port.ts), so whoever follows the log
 * for good subscribes again, after the last event it was given, waiting longer after each failure.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventLog, RecordedEvent } from './port.ts'

export interface RetryDelays {
  first: number
  max: number
}

export const DEFAULT_RETRY_MS: RetryDelays = { first: 100, max: 30_000 }

/** The wait before the next attempt: `first` ms, doubling up to `max`, back to `first` after a success. */
export class Backoff {
  private delay: number

  constructor(private readonly delays: RetryDelays = DEFAULT_RETRY_MS) {
    this.delay = delays.first
  }

  succeeded(): void {
    this.delay = this.delays.first
  }

  /** Waits (ended early by the signal), then doubles the next wait. */
  async wait(signal: AbortSignal): Promise<void> {
    await sleep(this.delay, undefined, { signal }).catch(() => {})
    this.delay = Math.min(this.delay * 2, this.delays.max)
  }
}

/** The subscription ended without being asked to: the server closed it. */
export class SubscriptionEnded extends Error {
  constructor(readonly after: number) {
    super(`the log subscription ended by itself after position ${after}; subscribing again`)
    this.name = 'SubscriptionEnded'
  }
}

export interface FollowOptions {
  /** Exclusive, as for subscribe. */
  after?: number
  signal: AbortSignal
  retryMs?: RetryDelays
  /** Told of each failure or unasked end before the wait; following goes on. */
  onError: (error: unknown) => void
}

/** Every event after `after`, once and in order, then live ones, until the signal aborts, across failures. */
export async function* follow(log: EventLog, { after = 0, signal, retryMs, onError }: FollowOptions): AsyncIterable<RecordedEvent> {
  const backoff = new Backoff(retryMs)
  let position = after
  while (!signal.aborted) {
    try {
      for await (const event of log.subscribe({ after: position, signal })) {
        position = event.position
        backoff.succeeded()
        yield event
      }
      if (!signal.aborted) onError(new SubscriptionEnded(position))
    } catch (error) {
      if (signal.aborted) return
      onError(error)
    }
    await backoff.wait(signal)
  }
}
