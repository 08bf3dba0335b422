import { EventEmitter, once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { IntegrationBus, IntegrationMessage } from '../ports.ts'

interface Group {
  /** Offset of the next message to deliver; advances only after the handler resolves. */
  offset: number
  /** The consumer currently delivering for this group, if any. */
  running: Promise<void> | null
}

/**
 * The in-process bus: one ordered queue and a committed offset per consumer group. Consumers of one group
 * take turns (the next takes over when the running one stops), like consumers of a one-partition topic.
 * A message is kept until every group seen so far has handled it; a group that first consumes later starts
 * at the oldest message still kept.
 */
export class InProcessBus implements IntegrationBus {
  readonly #messages: IntegrationMessage[] = []
  /** Offset of #messages[0]. */
  #base = 0
  readonly #groups = new Map<string, Group>()
  readonly #published = new EventEmitter().setMaxListeners(0)
  readonly #closed = new AbortController()
  readonly #retryDelayMs: number

  constructor({ retryDelayMs = 200 }: { retryDelayMs?: number } = {}) {
    this.#retryDelayMs = retryDelayMs
  }

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    if (this.#closed.signal.aborted) throw new Error('bus is closed')
    for (const message of messages) this.#messages.push({ ...message })
    this.#published.emit('published')
  }

  async consume(group: string, handler: (message: IntegrationMessage) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const stop = signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal
    const state = this.#group(group)
    while (state.running && !stop.aborted) await Promise.race([state.running, once(stop, 'abort')])
    if (stop.aborted) return
    state.running = this.#deliver(state, handler, stop).finally(() => (state.running = null))
    await state.running
  }

  async close(): Promise<void> {
    this.#closed.abort()
    await Promise.all([...this.#groups.values()].map(group => group.running))
  }

  async #deliver(group: Group, handler: (message: IntegrationMessage) => Promise<void>, stop: AbortSignal): Promise<void> {
    let failures = 0
    while (!stop.aborted) {
      const message = this.#messages[group.offset - this.#base]
      if (message === undefined) {
        await until(once(this.#published, 'published', { signal: stop }))
        continue
      }
      try {
        await handler(message)
      } catch {
        failures += 1
        await until(sleep(Math.min(this.#retryDelayMs * 2 ** (failures - 1), 10_000), undefined, { signal: stop }))
        continue
      }
      failures = 0
      group.offset += 1
      this.#dropHandled()
    }
  }

  #group(name: string): Group {
    let group = this.#groups.get(name)
    if (!group) {
      group = { offset: this.#base, running: null }
      this.#groups.set(name, group)
    }
    return group
  }

  #dropHandled(): void {
    const handled = Math.min(...[...this.#groups.values()].map(group => group.offset)) - this.#base
    // Dropping only once half the queue is handled keeps the splice amortised O(1) per message.
    if (handled > 0 && handled * 2 >= this.#messages.length) {
      this.#messages.splice(0, handled)
      this.#base += handled
    }
  }
}

/** Waits for a wake-up that rejects only when its signal aborts, which the caller's loop then sees. */
const until = (wakeUp: Promise<unknown>): Promise<void> =>
  wakeUp.then(
    () => undefined,
    () => undefined,
  )
