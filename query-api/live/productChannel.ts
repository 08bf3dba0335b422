/**
 * The live channel of one product, shared by every client following it in this process: the passport is loaded
 * once per new event, and each event presented and encoded once, then written to every listener.
 */
import type { AppContext } from '../../app/context.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { loadPassport, type Passport } from '../passport/load.ts'
import { isEventShown, presentEvent } from '../passport/publicEvent.ts'
import { reloadMessage, sseMessage, toEach, type Listener, type Message } from './listener.ts'
import type { TailChannel } from './logTail.ts'

/** More missed events than this, and a reconnecting client is told to reload instead. */
export const MAX_REPLAY = 1000

export class ProductChannel implements TailChannel {
  readonly listeners = new Set<Listener>()
  #passport: Promise<Passport | null> | null = null
  /** Each event's message, valid for the passport it was presented from. */
  #messages = new Map<number, Message>()
  #queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly ctx: AppContext,
    private readonly productId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** null when the product does not exist. Loaded on first use, which comes after the tail has started. */
  passport(): Promise<Passport | null> {
    return (this.#passport ??= loadPassport(this.ctx, this.productId).catch((error: unknown) => {
      this.#passport = null
      throw error
    }))
  }

  push(event: RecordedEvent): void {
    this.#queue = this.#queue.then(() => this.#broadcast(event)).catch(this.onError)
  }

  /** The messages after `position`, from the product's own stream; a reload message past MAX_REPLAY. */
  async replay(position: number): Promise<Message[]> {
    const passport = await this.passport()
    if (!passport) return []
    const first = firstAfter(passport.events, position)
    const missed = passport.events.length - first
    if (missed > MAX_REPLAY) {
      return [reloadMessage(passport.events.at(-1)!.position, `more than ${MAX_REPLAY} events were missed: read /history again`)]
    }
    return passport.events
      .slice(first)
      .filter(event => isEventShown(event, passport))
      .map(event => this.#message(event, passport))
  }

  async #broadcast(event: RecordedEvent): Promise<void> {
    let passport = await this.passport()
    // Consent and story status come from the stream as it now stands, as in /history.
    if (passport && event.revision > passport.revision) {
      this.#passport = loadPassport(this.ctx, this.productId).then(loaded => loaded ?? passport)
      this.#messages.clear()
      passport = await this.#passport
    }
    const recorded = passport?.events[event.revision]
    if (!passport || !recorded || !isEventShown(recorded, passport)) return
    const message = this.#message(recorded, passport)
    await toEach(this.listeners, listener => listener.send(message))
  }

  #message(event: RecordedEvent, passport: Passport): Message {
    let message = this.#messages.get(event.revision)
    if (!message) this.#messages.set(event.revision, (message = sseMessage(event.position, presentEvent(event, passport))))
    return message
  }
}

/** The index of the first event after `position` (events are in position order). */
function firstAfter(events: readonly RecordedEvent[], position: number): number {
  let [low, high] = [0, events.length]
  while (low < high) {
    const middle = (low + high) >>> 1
    if (events[middle]!.position <= position) low = middle + 1
    else high = middle
  }
  return low
}
