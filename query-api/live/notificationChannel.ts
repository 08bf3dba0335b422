/**
 * The live channel of notifications, shared by every client of this process: each event is waited for once (until
 * the projection has applied it), and each listening user's notification of it looked up (their inbox first, which
 * says at once when the event is not in it) and encoded once, however many streams that user has open.
 */
import type { AppContext } from '../../app/context.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { findNotification, notificationsAfter, presentNotification } from '../views/notifications.ts'
import { reloadMessage, sseMessage, toEach, type Listener, type Message } from './listener.ts'
import type { TailChannel } from './logTail.ts'
import { MAX_REPLAY } from './productChannel.ts'

export class NotificationChannel implements TailChannel {
  readonly listeners = new Set<Listener>()
  #queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly ctx: AppContext,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(event: RecordedEvent): void {
    this.#queue = this.#queue.then(() => this.#broadcast(event)).catch(this.onError)
  }

  /** The user's notifications after `position`, from their inbox; a reload message past MAX_REPLAY. */
  async replay(userId: string, position: number): Promise<Message[]> {
    const { missed, newest } = await notificationsAfter(this.ctx.readModels, userId, position, MAX_REPLAY)
    if (missed === null) return [reloadMessage(newest, `more than ${MAX_REPLAY} notifications were missed: read /notifications again`)]
    return missed.map(notification => sseMessage(notification.position, presentNotification(userId, notification)))
  }

  async #broadcast(event: RecordedEvent): Promise<void> {
    if (this.listeners.size === 0) return
    await this.ctx.waitForPosition(event.position, this.ctx.config.minPositionWaitMs)
    // Who listens is read once the inbox holds the event: a client joining before it reads the inbox afterwards.
    const byUser = new Map<string, Listener[]>()
    for (const listener of this.listeners) byUser.set(listener.userId!, [...(byUser.get(listener.userId!) ?? []), listener])
    await Promise.all(
      [...byUser].map(async ([userId, listeners]) => {
        const notification = await findNotification(this.ctx.readModels, userId, event.metadata.eventId, event.position)
        if (!notification) return
        const message = sseMessage(event.position, presentNotification(userId, notification))
        await toEach(listeners, listener => listener.send(message))
      }),
    )
  }
}
