/**
 * The one log subscription of a process's live streams: each event is read once and handed to the channels
 * that follow it (the channel of its stream, and the `*` channel, which hears every event). It runs while a
 * channel is open, from the head at the time it starts; after a failure or an unasked end it subscribes again
 * (eventlog/follow.ts) after the last event it handed on.
 */
import { follow } from '../../eventlog/follow.ts'
import type { EventLog, RecordedEvent } from '../../eventlog/port.ts'

export interface TailChannel {
  /** Called in log order; must not wait on anything (a channel queues what it does with the event). */
  push(event: RecordedEvent): void
}

export const EVERY_STREAM = '*'

export class LogTail {
  readonly #channels = new Map<string, TailChannel>()
  #running: { stop: AbortController; started: Promise<void> } | null = null

  constructor(
    private readonly log: EventLog,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The channel for `key` (a stream id, or EVERY_STREAM), made by `open` if none is. */
  channel<T extends TailChannel>(key: string, open: () => T): T {
    let channel = this.#channels.get(key) as T | undefined
    if (!channel) this.#channels.set(key, (channel = open()))
    return channel
  }

  /** Forgets a channel that has no listener left; the subscription stops with the last channel. */
  drop(key: string, channel: TailChannel): void {
    if (this.#channels.get(key) === channel) this.#channels.delete(key)
    if (this.#channels.size === 0) this.stop()
  }

  stop(): void {
    this.#running?.stop.abort()
    this.#running = null
  }

  /** Resolves once the subscription runs: every event after the head as it was then reaches the channels. */
  start(): Promise<void> {
    if (this.#running) return this.#running.started
    const stop = new AbortController()
    const running = {
      stop,
      started: this.log.headPosition().then(
        head => void this.#follow(head, stop.signal),
        (error: unknown) => {
          if (this.#running === running) this.#running = null
          throw error
        },
      ),
    }
    this.#running = running
    return running.started
  }

  async #follow(after: number, signal: AbortSignal): Promise<void> {
    for await (const event of follow(this.log, { after, signal, onError: this.onError })) {
      this.#channels.get(event.streamId)?.push(event)
      this.#channels.get(EVERY_STREAM)?.push(event)
    }
  }
}
